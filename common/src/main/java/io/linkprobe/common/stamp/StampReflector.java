package io.linkprobe.common.stamp;

import io.linkprobe.common.net.NativeDatagramSocket;
import io.linkprobe.common.net.NativeUdp;
import io.linkprobe.common.net.Transports;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stateful STAMP Session-Reflector (RFC 8762 §4.3) on one UDP socket: every request from a sender
 * (address, port, SSID) gets that session's own next sequence number, so the sender can tell a
 * request lost on the way out from a reply lost on the way back. Replies have the request's length
 * (a TWAMP-Light request shorter than the base packet gets the base packet). Datagrams too short for
 * the mode, too long, or with a bad HMAC are dropped and counted.
 *
 * <p>Where the machine allows ({@link NativeUdp}: Linux x86_64/aarch64 on an epoll event loop), the
 * socket is the native one: T2 is the kernel's receive timestamp, so the event loop's wake-up lands
 * in the stated turnaround, which the sender subtracts, not in the RTT; and Ses-Sender TTL is the
 * request's real TTL. Elsewhere a Netty datagram channel with user-space timestamps and TTL 0;
 * {@link #timestamps()} says which.
 *
 * <p>One socket runs on one event loop thread of the given group, ample for thousands of agents at a
 * few packets per second each. The caller owns the group.
 */
public final class StampReflector implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StampReflector.class);

    private final Channel channel;
    private final NativeReflector nativeReflector;
    private final ReflectorCore core;
    private final String timestamps;
    private final InetSocketAddress bind;

    private StampReflector(Channel channel, NativeReflector nativeReflector, ReflectorCore core, String timestamps,
            InetSocketAddress bind) {
        this.bind = bind;
        this.channel = channel;
        this.nativeReflector = nativeReflector;
        this.core = core;
        this.timestamps = timestamps;
    }

    /**
     * Binds and starts answering. Port 0 picks a free port ({@link #localPort()}).
     *
     * @throws UncheckedIOException when the address cannot be bound
     */
    public static StampReflector start(EventLoopGroup group, InetSocketAddress bind, ReflectorOptions opts) {
        EventLoop loop = group.next();
        String why = userTimestampsReason(loop, opts.kernelTimestamps());
        if (why == null) {
            NativeReflector r;
            try {
                r = NativeReflector.start(loop, bind, opts);
            } catch (UncheckedIOException e) {
                String m = String.valueOf(e.getCause().getMessage());
                String reason = m.substring(m.lastIndexOf(": ") + 2); // the errno's text
                throw new UncheckedIOException("cannot bind STAMP reflector to " + bind + ": " + reason, e.getCause());
            }
            log.info("STAMP reflector on {}: kernel receive timestamps, received TTL", bind);
            return new StampReflector(null, r, r.core(), "kernel", bind);
        }
        ReflectorHandler handler = new ReflectorHandler(opts);
        Bootstrap b = new Bootstrap()
                .group(loop)
                .channel(Transports.datagramFor(loop))
                // One byte over the largest packet, so that a truncated oversize datagram is visible.
                .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(StampPacket.MAX_SIZE + 1))
                .handler(handler);
        ChannelFuture f = b.bind(bind).awaitUninterruptibly();
        if (!f.isSuccess()) {
            Throwable cause = f.cause();
            String message = "cannot bind STAMP reflector to " + bind + ": " + cause.getMessage();
            throw cause instanceof IOException io ? new UncheckedIOException(message, io) : new IllegalStateException(message, cause);
        }
        log.info("STAMP reflector on {}: user-space timestamps ({})", bind, why);
        return new StampReflector(f.channel(), null, handler.core(), "user (" + why + ")", bind);
    }

    /** Why this loop and these options get user-space timestamps, or null when kernel ones are used. */
    static String userTimestampsReason(EventLoop loop, boolean wanted) {
        if (!wanted) {
            return "kernel timestamps turned off in the options";
        }
        if (!NativeUdp.available()) {
            return NativeUdp.unavailableReason();
        }
        if (!NativeDatagramSocket.usableOn(loop)) {
            return "the event loop is not epoll (-Dlinkprobe.transport=nio?)";
        }
        return null;
    }

    public InetSocketAddress localAddress() {
        if (channel != null) {
            return (InetSocketAddress) channel.localAddress();
        }
        return new InetSocketAddress(bind.getAddress(), nativeReflector.localPort());
    }

    public int localPort() {
        return channel != null ? localAddress().getPort() : nativeReflector.localPort();
    }

    /** {@code kernel}, or {@code user (why)}: where T2 comes from. */
    public String timestamps() {
        return timestamps;
    }

    /** Requests answered since start. */
    public long reflectedTotal() {
        return core.reflected();
    }

    /** Datagrams dropped as not STAMP for this mode (size, HMAC). */
    public long malformedTotal() {
        return core.malformed();
    }

    /** Well-formed requests not answered because the socket's send queue was full. */
    public long droppedTotal() {
        return core.droppedTotal();
    }

    public int activeSessions() {
        return core.activeSessions();
    }

    /** Sessions dropped (least recently seen first) because {@code maxSessions} was reached. */
    public long sessionsEvictedTotal() {
        return core.evicted();
    }

    /** Sessions whose count started again at 0 because their sender's sequence did. */
    public long sessionRestartsTotal() {
        return core.sessionRestarts();
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.close().awaitUninterruptibly();
        } else {
            nativeReflector.close();
        }
    }
}
