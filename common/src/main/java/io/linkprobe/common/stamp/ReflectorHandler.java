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
 * The stateful Session-Reflector: answers each well-formed request with its session's next sequence
 * number, in the request's own buffer ({@link StampPacket#reflectInPlace}), so the reply has exactly
 * the request's length and a packet costs no buffer copy.
 *
 * <p>This is the whole pipeline (no separate decoder): a datagram is already framed, and decoding
 * into an object first would allocate per packet on the path that serves every agent at once.
 *
 * <p>Counters have a single writer (the event loop) and are volatile so any thread reads them whole.
 */
final class ReflectorHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ReflectorHandler.class);
    /** Sender TTL: the JVM's sockets do not expose a received packet's TTL, so 0 says "unknown". */
    private static final int TTL_UNKNOWN = 0;

    private final StampMode mode;
    private final int errorEstimate;
    private final StampAuth.Signer signer;
    private final ReflectorSessions sessions;
    private final long sweepPeriodNanos;
    private ScheduledFuture<?> sweep;

    private volatile long reflected;
    private volatile long malformed;
    private volatile long dropped;
    private volatile int activeSessions;
    private volatile long evicted;

    ReflectorHandler(ReflectorOptions opts) {
        this.mode = opts.mode();
        this.errorEstimate = opts.clock().encode();
        this.signer = opts.auth() == null ? null : opts.auth().newSigner();
        long idleNanos = opts.sessionIdleTimeout().toNanos();
        this.sessions = new ReflectorSessions(opts.maxSessions(), idleNanos);
        this.sweepPeriodNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(10), Math.min(idleNanos / 4, TimeUnit.SECONDS.toNanos(30)));
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
        ByteBuf buf = packet.content();
        int length = buf.readableBytes();
        // A datagram longer than the receive buffer arrives truncated to MAX_SIZE + 1: refuse it too.
        if (length < mode.baseSize || length > StampPacket.MAX_SIZE
                || (signer != null && !signer.verify(buf, buf.readerIndex()))) {
            malformed++;
            if (log.isDebugEnabled()) {
                log.debug("dropped malformed STAMP packet of {} bytes from {}", length, packet.sender());
            }
            packet.release();
            return;
        }
        if (!ctx.channel().isWritable()) {
            dropped++; // the socket cannot keep up; queueing replies would only add delay and memory
            packet.release();
            return;
        }
        long seq = sessions.nextSequence(packet.sender(), StampPacket.ssid(mode, buf), System.nanoTime());
        StampPacket.reflectInPlace(buf, mode, seq, receiveTimestamp, NtpTimestamp.now(), errorEstimate, TTL_UNKNOWN);
        if (signer != null) {
            signer.sign(buf, buf.readerIndex());
        }
        ctx.write(new DatagramPacket(buf, packet.sender()), ctx.voidPromise());
        reflected++;
        // Published for readers on other threads; written only when they change, not per packet.
        int size = sessions.size();
        if (size != activeSessions) {
            activeSessions = size;
        }
        long evictedNow = sessions.evicted();
        if (evictedNow != evicted) {
            evicted = evictedNow;
        }
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
        int removed = sessions.expireIdle(System.nanoTime());
        if (removed > 0) {
            log.debug("forgot {} idle STAMP sessions", removed);
        }
        activeSessions = sessions.size();
    }

    long reflected() {
        return reflected;
    }

    long malformed() {
        return malformed;
    }

    long dropped() {
        return dropped;
    }

    int activeSessions() {
        return activeSessions;
    }

    long evicted() {
        return evicted;
    }
}
