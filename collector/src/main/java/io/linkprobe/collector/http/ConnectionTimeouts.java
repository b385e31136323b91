package io.linkprobe.collector.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Two clocks per connection. While a request is arriving (from its first byte until the
 * {@link RequestHandler} has it whole) it must complete within {@code read_timeout}, however slowly
 * its bytes trickle in: a deadline, not an inactivity timer, because a slow sender that sends one
 * byte a second would never trip the latter. Between requests a keep-alive connection may stay
 * silent for {@code idle_timeout}. While a request is being processed neither runs: waiting for
 * the archive is not the client's fault.
 *
 * <p>Sits below the HTTP codec, so it answers a read timeout with raw bytes ({@link RawResponse}).
 */
public final class ConnectionTimeouts extends ChannelDuplexHandler {
    private enum Phase { IDLE, RECEIVING, PROCESSING }

    private final long readTimeoutNanos;
    private final long idleTimeoutNanos;
    private final RejectionCounter rejections;
    private ChannelHandlerContext ctx;
    private Phase phase = Phase.IDLE;
    private boolean bytesWhileProcessing;
    private ScheduledFuture<?> timer;

    public ConnectionTimeouts(Duration readTimeout, Duration idleTimeout, RejectionCounter rejections) {
        this.readTimeoutNanos = readTimeout.toNanos();
        this.idleTimeoutNanos = idleTimeout.toNanos();
        this.rejections = rejections;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (ctx.channel().isActive()) {
            enter(Phase.IDLE);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        enter(Phase.IDLE);
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancel();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (phase == Phase.IDLE) {
            enter(Phase.RECEIVING);
        } else if (phase == Phase.PROCESSING) {
            bytesWhileProcessing = true;
        }
        super.channelRead(ctx, msg);
    }

    /** The request handler has a whole request: stop the read deadline. */
    void requestReceived() {
        enter(Phase.PROCESSING);
    }

    /** The response is written: wait for the next request, or time its bytes if they came early. */
    void responseSent() {
        boolean early = bytesWhileProcessing;
        bytesWhileProcessing = false;
        enter(early ? Phase.RECEIVING : Phase.IDLE);
    }

    private void enter(Phase next) {
        cancel();
        phase = next;
        if (next == Phase.RECEIVING) {
            timer = ctx.executor().schedule(this::readTimedOut, readTimeoutNanos, TimeUnit.NANOSECONDS);
        } else if (next == Phase.IDLE) {
            timer = ctx.executor().schedule(this::idleTimedOut, idleTimeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void readTimedOut() {
        if (phase != Phase.RECEIVING || !ctx.channel().isActive()) {
            return;
        }
        rejections.count(RejectReason.READ_TIMEOUT);
        ctx.writeAndFlush(RawResponse.encode(ctx.alloc(), RejectReason.READ_TIMEOUT,
                "the request did not arrive within " + readTimeoutNanos / 1_000_000 + " ms (limits.read_timeout)"))
                .addListener(ChannelFutureListener.CLOSE);
    }

    private void idleTimedOut() {
        if (phase != Phase.IDLE || !ctx.channel().isActive()) {
            return;
        }
        rejections.count(RejectReason.IDLE_TIMEOUT);
        ctx.close();
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
