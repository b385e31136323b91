package io.linkprobe.common.stamp;

import io.linkprobe.common.net.Transports;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;

/**
 * A stateful STAMP Session-Reflector (RFC 8762 §4.3) on one UDP socket: every request from a sender
 * (address, port, SSID) gets that session's own next sequence number, so the sender can tell a
 * request lost on the way out from a reply lost on the way back. Replies have the request's length.
 * Datagrams too short for the mode, too long, or with a bad HMAC are dropped and counted.
 *
 * <p>One socket runs on one event loop thread of the given group, ample for thousands of agents at a
 * few packets per second each. The caller owns the group.
 */
public final class StampReflector implements AutoCloseable {
    private final Channel channel;
    private final ReflectorHandler handler;

    private StampReflector(Channel channel, ReflectorHandler handler) {
        this.channel = channel;
        this.handler = handler;
    }

    /**
     * Binds and starts answering. Port 0 picks a free port ({@link #localPort()}).
     *
     * @throws UncheckedIOException when the address cannot be bound
     */
    public static StampReflector start(EventLoopGroup group, InetSocketAddress bind, ReflectorOptions opts) {
        ReflectorHandler handler = new ReflectorHandler(opts);
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(Transports.datagram())
                // One byte over the largest packet, so that a truncated oversize datagram is visible.
                .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(StampPacket.MAX_SIZE + 1))
                .handler(handler);
        ChannelFuture f = b.bind(bind).awaitUninterruptibly();
        if (!f.isSuccess()) {
            Throwable cause = f.cause();
            String message = "cannot bind STAMP reflector to " + bind + ": " + cause.getMessage();
            throw cause instanceof IOException io ? new UncheckedIOException(message, io) : new IllegalStateException(message, cause);
        }
        return new StampReflector(f.channel(), handler);
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    public int localPort() {
        return localAddress().getPort();
    }

    /** Requests answered since start. */
    public long reflectedTotal() {
        return handler.reflected();
    }

    /** Datagrams dropped as not STAMP for this mode (size, HMAC). */
    public long malformedTotal() {
        return handler.malformed();
    }

    /** Well-formed requests not answered because the socket's send queue was full. */
    public long droppedTotal() {
        return handler.dropped();
    }

    public int activeSessions() {
        return handler.activeSessions();
    }

    /** Sessions dropped (least recently seen first) because {@code maxSessions} was reached. */
    public long sessionsEvictedTotal() {
        return handler.evicted();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly();
    }
}
