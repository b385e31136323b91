package io.linkprobe.collector.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps open connections at {@code limits.max_connections}. A connection past the cap is not
 * reset at once: it is answered 503 with {@code Retry-After} when its first request bytes arrive,
 * so that the agent reads a reason rather than a reset, and then closed.
 */
@ChannelHandler.Sharable
public final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
    /** How long a refused connection may take to send its request before it is just closed. */
    private static final long REFUSED_GRACE_SECONDS = 5;

    private final int maxConnections;
    private final RejectionCounter rejections;
    private final AtomicInteger open = new AtomicInteger();

    public ConnectionLimiter(int maxConnections, RejectionCounter rejections) {
        this.maxConnections = maxConnections;
        this.rejections = rejections;
    }

    public int openConnections() {
        return open.get();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        int now = open.incrementAndGet();
        ctx.channel().closeFuture().addListener(f -> open.decrementAndGet());
        ctx.fireChannelActive();
        if (now > maxConnections) {
            rejections.count(RejectReason.MAX_CONNECTIONS);
            ctx.pipeline().replace(this, PipelineNames.LIMITER, new Refuse(maxConnections));
        }
    }

    /** Answers the first bytes of a refused connection with 503 and closes it. */
    private static final class Refuse extends ChannelInboundHandlerAdapter {
        private final int maxConnections;
        private boolean answered;

        Refuse(int maxConnections) {
            this.maxConnections = maxConnections;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            ctx.executor().schedule(() -> ctx.close(), REFUSED_GRACE_SECONDS, TimeUnit.SECONDS);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
            if (!answered) {
                answered = true;
                ctx.writeAndFlush(RawResponse.encode(ctx.alloc(), RejectReason.MAX_CONNECTIONS,
                        "the collector is at its limit of " + maxConnections
                                + " connections (limits.max_connections); retry later"))
                        .addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}
