package io.linkprobe.collector.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpUtil;

/**
 * Aggregates a request into one message of at most {@code max_body_bytes} as received (before any
 * decompression: a gzip body is bounded on the wire here and again after inflating, by
 * {@link GzipRequestDecoder}). Past the limit the request becomes a {@link RefusedRequest}, which the
 * request handler answers 413 in order with the connection's other requests.
 *
 * <p>Like Netty's own handling, the connection survives when the limit is known from
 * {@code Content-Length} before the body arrives (the aggregator then discards the body) and is
 * closed when the limit is crossed midway, where what follows is of unknown length.
 */
public final class BodyLimitAggregator extends HttpObjectAggregator {
    private final int maxBodyBytes;

    public BodyLimitAggregator(int maxBodyBytes) {
        super(maxBodyBytes);
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        // The aggregator releases the oversized message after this returns.
        boolean midway = oversized instanceof FullHttpMessage;
        boolean keepAlive = !midway && (HttpUtil.isKeepAlive(oversized) || HttpUtil.is100ContinueExpected(oversized));
        ctx.fireChannelRead(new RefusedRequest(RejectReason.BODY_TOO_LARGE,
                "the request body is larger than " + maxBodyBytes
                        + " bytes (limits.max_body_bytes); push fewer results per request", keepAlive));
    }
}
