package io.linkprobe.collector.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpUtil;

/**
 * Aggregates a request into one message of at most {@code max_body_bytes} as received (before any
 * decompression: a gzip body is bounded on the wire here and again after inflating, by
 * {@link GzipRequestDecoder}). Past the limit the request becomes a {@link RefusedRequest}, which the
 * request handler answers 413 with its one-line reason, in order with the connection's other
 * requests, and counts.
 *
 * <p>Three ways to be too large, each answered with the same line:
 * <ul>
 *   <li>{@code Content-Length} over the limit: refused before the body arrives; the aggregator
 *       discards the body as it comes and the connection carries on.
 *   <li>The same with {@code Expect: 100-continue} (curl sends it for large bodies): Netty would
 *       answer with an empty 413 of its own, uncounted; here no 100 is sent, the refusal takes the
 *       path above, and the connection is closed after it, since the client may or may not send
 *       the body it announced and the stream's next bytes are then of unknown meaning.
 *   <li>Crossed midway (chunked, no length): what follows is of unknown length; closed after the 413.
 * </ul>
 */
public final class BodyLimitAggregator extends HttpObjectAggregator {
    private final int maxBodyBytes;

    public BodyLimitAggregator(int maxBodyBytes) {
        super(maxBodyBytes);
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
        if (start.decoderResult().isFailure()) {
            return null; // no 100 for a request the codec refused: it goes on to the handler, answered 400
        }
        long length;
        try {
            length = HttpUtil.getContentLength(start, -1L);
        } catch (NumberFormatException e) {
            return null; // a Content-Length that is no number: no 100; the codec's refusal or 400 follows
        }
        if (HttpUtil.is100ContinueExpected(start) && length > maxContentLength) {
            return null; // refused as an over-long Content-Length, by handleOversizedMessage
        }
        return super.newContinueResponse(start, maxContentLength, pipeline);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        // The aggregator releases the oversized message after this returns.
        boolean midway = oversized instanceof FullHttpMessage;
        boolean keepAlive = !midway && !HttpUtil.is100ContinueExpected(oversized) && HttpUtil.isKeepAlive(oversized);
        ctx.fireChannelRead(new RefusedRequest(RejectReason.BODY_TOO_LARGE,
                "the request body is larger than " + maxBodyBytes
                        + " bytes (limits.max_body_bytes); push fewer results per request", keepAlive));
    }
}
