package io.linkprobe.common.net;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * linkprobe's native UDP shim ({@code src/main/c}): a socket that reads, with each datagram, the
 * kernel's receive timestamp (SO_TIMESTAMPNS, CLOCK_REALTIME), the packet's TTL / hop limit
 * (IP_RECVTTL / IPV6_RECVHOPLIMIT) and TOS / traffic class (IP_RECVTOS / IPV6_RECVTCLASS), none of
 * which the JVM's sockets or Netty's epoll transport expose.
 *
 * <p>The library is built per architecture into the jar ({@code native/linux-x86_64},
 * {@code native/linux-aarch64}) and loaded from a temporary copy on first use. Where it is missing
 * (another OS or architecture, a build without a compiler, a temp directory mounted noexec) or
 * turned off with {@code -Dlinkprobe.timestamps=user}, {@link #available()} is false,
 * {@link #unavailableReason()} says why, and STAMP falls back to user-space timestamps.
 *
 * <p>The natives return {@code -errno} on failure; {@link #check} turns that into an IOException.
 */
public final class NativeUdp {
    private static final Logger log = LoggerFactory.getLogger(NativeUdp.class);
    static final String LIBRARY = "liblinkprobe_udp.so";
    /** Size of {@code struct lp_meta} (udp_core.h). */
    static final int META_SIZE = 56;
    static final int META_RX_SEC = 0;
    static final int META_RX_NSEC = 8;
    static final int META_TTL = 16;
    static final int META_TOS = 20;
    static final int META_FAMILY = 24;
    static final int META_PORT = 28;
    static final int META_ADDR = 32;
    static final int META_FLAGS = 48;
    static final int META_TX_ID = 52;
    static final int FLAG_TRUNCATED = 1;
    static final int EAGAIN = 11;

    private static final String PLATFORM = detectPlatform();
    private static final String UNAVAILABLE = load();

    private NativeUdp() {}

    /** True when the shim is loaded and working on this machine. */
    public static boolean available() {
        return UNAVAILABLE == null;
    }

    /** Why the shim is not used here, or null when it is. */
    public static String unavailableReason() {
        return UNAVAILABLE;
    }

    /** {@code linux-x86_64}, {@code linux-aarch64}, or what this machine is when neither. */
    public static String platform() {
        return PLATFORM;
    }

    private static String detectPlatform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String a = switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> arch;
        };
        return (os.startsWith("linux") ? "linux" : os.replace(' ', '_')) + "-" + a;
    }

    private static String load() {
        if ("user".equalsIgnoreCase(System.getProperty("linkprobe.timestamps", ""))) {
            return "turned off with -Dlinkprobe.timestamps=user";
        }
        String platform = PLATFORM;
        if (!platform.equals("linux-x86_64") && !platform.equals("linux-aarch64")) {
            return "no native shim for " + platform + " (built for linux-x86_64 and linux-aarch64)";
        }
        String resource = "/native/" + platform + "/" + LIBRARY;
        try (InputStream in = NativeUdp.class.getResourceAsStream(resource)) {
            if (in == null) {
                return "this build carries no native shim for " + platform + " (no compiler for it at build time)";
            }
            Path copy = Files.createTempFile("linkprobe_udp", ".so");
            try {
                Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
                System.load(copy.toAbsolutePath().toString());
            } finally {
                Files.deleteIfExists(copy); // the loaded mapping outlives the file
            }
        } catch (IOException | UnsatisfiedLinkError | SecurityException e) {
            return "cannot load the native shim for " + platform + " (" + e.getMessage()
                    + "); if the temp directory is mounted noexec, point -Djava.io.tmpdir elsewhere";
        }
        if (metaSize0() != META_SIZE) {
            return "the native shim does not match this build (metadata " + metaSize0() + " bytes, expected " + META_SIZE + ")";
        }
        int fd = open0(false);
        if (fd < 0) {
            return "the kernel refuses a timestamping UDP socket: " + strerror0(-fd);
        }
        close0(fd);
        log.debug("native UDP shim loaded for {}", platform);
        return null;
    }

    /** Returns {@code result} when it is not negative, else throws with the errno's text. */
    static int check(int result, String what) throws IOException {
        if (result < 0) {
            throw new IOException(what + ": " + strerror0(-result));
        }
        return result;
    }

    /** A direct buffer of {@code struct lp_meta}, in the native byte order the C side writes. */
    static ByteBuffer newMeta() {
        return ByteBuffer.allocateDirect(META_SIZE).order(java.nio.ByteOrder.nativeOrder());
    }

    static native int metaSize0();

    static native int open0(boolean ipv6);

    static native int bind0(int fd, boolean ipv6, byte[] address, int port);

    static native int connect0(int fd, boolean ipv6, byte[] address, int port);

    static native int localPort0(int fd);

    static native int setTos0(int fd, boolean ipv6, int tos);

    static native int recv0(int fd, ByteBuffer buf, int offset, int capacity, ByteBuffer meta);

    static native int send0(int fd, boolean ipv6, ByteBuffer buf, int offset, int length, ByteBuffer to);

    static native int enableTxTimestamps0(int fd);

    static native int recvTxTimestamp0(int fd, ByteBuffer meta);

    static native int close0(int fd);

    static native String strerror0(int errno);
}
