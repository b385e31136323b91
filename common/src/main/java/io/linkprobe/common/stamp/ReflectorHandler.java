package io.linkprobe.common.stamp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reflector on a Netty datagram channel, where the native socket cannot be used: the request's
 * arrival (T2) is read in user space, after the event loop woke up, and its TTL is unknown (the
 * JVM's sockets do not expose it), so Ses-Sender TTL is 0. {@link ReflectorCore} does the rest; the
 * reply is written in the request's own buffer, so a packet costs no copy.
 *
 * <p>This is the whole pipeline (no separate decoder): a datagram is already framed, and decoding
 * into an object first would allocate per packet on the path that serves every agent at once.
 */
final class ReflectorHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ReflectorHandler.class);
    /** Sender TTL: the JVM's sockets do not expose a received packet's TTL, so 0 says "unknown". */
    private static final int TTL_UNKNOWN = 0;

    private final ReflectorCore core;
    private final long sweepPeriodNanos;
    private ScheduledFuture<?> sweep;

    ReflectorHandler(ReflectorOptions opts) {
        this.core = new ReflectorCore(opts);
        this.sweepPeriodNanos = sweepPeriodNanos(opts);
    }

    static long sweepPeriodNanos(ReflectorOptions opts) {
        long idleNanos = opts.sessionIdleTimeout().toNanos();
        return Math.max(TimeUnit.MILLISECONDS.toNanos(10), Math.min(idleNanos / 4, TimeUnit.SECONDS.toNanos(30)));
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        sweep = ctx.executor().scheduleAtFixedRate(this::expireIdle, sweepPeriodNanos, sweepPeriodNanos, TimeUnit.NANOSECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (sweep != null) {
            sweep.cancel(false);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket packet)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        long receiveTimestamp = NtpTimestamp.now();
        ByteBuf request = packet.content();
        if (!ctx.channel().isWritable()) {
            core.dropped(); // the socket cannot keep up; queueing replies would only add delay and memory
            packet.release();
            return;
        }
        ByteBuf reply = core.reflect(request, packet.sender(), receiveTimestamp, TTL_UNKNOWN, System.nanoTime(), ctx.alloc());
        if (reply == null) {
            packet.release();
            return;
        }
        if (reply != request) {
            packet.release();
        }
        ctx.write(new DatagramPacket(reply, packet.sender()), ctx.voidPromise());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush(); // one flush per batch of reads, not per reply
        ctx.fireChannelReadComplete();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A UDP socket has no connection to lose: log and keep answering.
        log.debug("STAMP reflector socket error: {}", cause.toString());
    }

    private void expireIdle() {
        int removed = core.expireIdle(System.nanoTime());
        if (removed > 0) {
            log.debug("forgot {} idle STAMP sessions", removed);
        }
    }

    ReflectorCore core() {
        return core;
    }

    long reflected() {
        return core.reflected();
    }

    long malformed() {
        return core.malformed();
    }

    long dropped() {
        return core.droppedTotal();
    }

    int activeSessions() {
        return core.activeSessions();
    }

    long evicted() {
        return core.evicted();
    }
}
