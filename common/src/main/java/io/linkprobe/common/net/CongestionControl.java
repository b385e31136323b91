package io.linkprobe.common.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.RawUnixChannelOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP congestion control of a throughput test's <em>sending</em> sockets ({@code TCP_CONGESTION}).
 * It decides how much of a bloated buffer the test fills: on the lab's 6 Mbit/s line with a 300 ms
 * buffer a cubic sender reads ≈ 280 ms loaded RTT, a BBR sender 50–80 ms. A test therefore reports
 * the algorithm its sender used, and both ends may choose one (uploads: the agent; downloads: the
 * responder); unset, the host's default applies. Needs Linux and the epoll transport.
 */
public final class CongestionControl {
    /** {@code IPPROTO_TCP}, {@code TCP_CONGESTION}, {@code TCP_CA_NAME_MAX} from the Linux headers. */
    private static final RawUnixChannelOption TCP_CONGESTION = new RawUnixChannelOption("TCP_CONGESTION", 6, 13, 16);
    private static final Pattern NAME = Pattern.compile("[a-z0-9_]{1,15}");
    private static final Path AVAILABLE = Path.of("/proc/sys/net/ipv4/tcp_available_congestion_control");
    private static final Path ALLOWED = Path.of("/proc/sys/net/ipv4/tcp_allowed_congestion_control");
    private static final int CAP_NET_ADMIN = 12;
    private static final Logger log = LoggerFactory.getLogger(CongestionControl.class);
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

    private CongestionControl() {}

    /**
     * Why {@code name} cannot be used for this process's sockets, as the rest of a sentence whose
     * subject is the setting (e.g. "--congestion-control" + this); null if it can.
     */
    public static String problem(String name) {
        if (!isName(name)) {
            return "'" + name + "' is not an algorithm name (e.g. cubic, bbr, reno)";
        }
        if (!Transports.epoll()) {
            return "needs Linux and the epoll transport; leave it unset to use the host's default";
        }
        List<String> available = words(AVAILABLE);
        if (available != null && !available.contains(name)) {
            return "'" + name + "' is not available on this host (available: "
                    + String.join(", ", available) + "); load its module (modprobe tcp_" + name + ") or pick one of those";
        }
        List<String> allowed = words(ALLOWED);
        if (allowed != null && !allowed.contains(name) && !hasNetAdmin()) {
            return "'" + name + "' is not in net.ipv4.tcp_allowed_congestion_control ("
                    + String.join(", ", allowed) + "); add it there or run with CAP_NET_ADMIN";
        }
        return null;
    }

    /** Whether {@code name} has the form of an algorithm name ({@code TCP_CA_NAME_MAX} is 16 with the NUL). */
    public static boolean isName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /**
     * Sets the algorithm, or, if the host refuses (it was checked at start, so the host changed
     * under us), logs that once per algorithm and leaves the host's default, which the test's
     * result then reports. A no-op for null.
     */
    public static void applyOrWarn(Channel ch, String name) {
        try {
            apply(ch, name);
        } catch (RuntimeException e) {
            if (WARNED.add(name)) {
                log.warn("cannot set congestion control '{}' ({}); tests run with the host's default", name,
                        e.getMessage());
            }
        }
    }

    /** Sets the algorithm of a connected or connecting socket; a no-op for null. */
    public static void apply(Channel ch, String name) {
        if (name == null) {
            return;
        }
        ByteBuffer value = ByteBuffer.allocateDirect(16);
        value.put(name.getBytes(StandardCharsets.US_ASCII));
        value.position(0).limit(16);
        if (!ch.config().setOption(TCP_CONGESTION, value)) {
            throw new ChannelException("TCP_CONGESTION is not supported by " + ch.getClass().getSimpleName());
        }
    }

    /** The algorithm a socket uses, or null if it cannot be read (NIO, closed socket). */
    public static String of(Channel ch) {
        if (!(ch instanceof EpollSocketChannel) || !ch.isOpen()) {
            return null;
        }
        try {
            ByteBuffer value = ch.config().getOption(TCP_CONGESTION);
            if (value == null) {
                return null;
            }
            byte[] bytes = new byte[value.remaining()];
            value.get(bytes);
            int end = 0;
            while (end < bytes.length && bytes[end] != 0) {
                end++;
            }
            return end == 0 ? null : new String(bytes, 0, end, StandardCharsets.US_ASCII);
        } catch (RuntimeException closedMeanwhile) {
            return null;
        }
    }

    private static List<String> words(Path file) {
        try {
            return Arrays.asList(Files.readString(file).trim().split("\\s+"));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static boolean hasNetAdmin() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    long caps = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                    return (caps >>> CAP_NET_ADMIN & 1) == 1;
                }
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return false;
    }
}
