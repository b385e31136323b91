package io.linkprobe.collector.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one stateful handler of a connection: takes whole requests (or {@link RefusedRequest}s),
 * routes them, and writes the replies strictly in request order, one at a time; a pipelined
 * request waits in a short queue while the one before it is answered (e.g. waits for its archive
 * commit). Keeps the connection open unless the client asked to close or the request was refused
 * in a way that leaves the stream unusable.
 */
public final class RequestHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(RequestHandler.class);
    /** Pipelined requests held per connection; beyond this the client is misbehaving. */
    private static final int MAX_QUEUED = 16;

    private final Router router;
    private final RejectionCounter rejections;
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private boolean busy;

    public RequestHandler(Router router, RejectionCounter rejections) {
        this.router = router;
        this.rejections = rejections;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest) && !(msg instanceof RefusedRequest)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (queue.size() >= MAX_QUEUED) {
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        queue.add(msg);
        if (!busy) {
            next(ctx);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        queue.forEach(ReferenceCountUtil::release);
        queue.clear();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("closing {} after {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    private void next(ChannelHandlerContext ctx) {
        Object msg = queue.poll();
        busy = msg != null;
        if (msg == null) {
            return;
        }
        ConnectionTimeouts timeouts = ctx.pipeline().get(ConnectionTimeouts.class);
        if (timeouts != null) {
            timeouts.requestReceived();
        }
        if (msg instanceof RefusedRequest refused) {
            rejections.count(refused.reason());
            write(ctx, Reply.refused(refused.reason(), refused.message()), refused.keepAlive());
            return;
        }
        FullHttpRequest request = (FullHttpRequest) msg;
        try {
            DecoderResult result = request.decoderResult();
            if (!result.isSuccess()) {
                RejectReason reason = reasonFor(result.cause());
                rejections.count(reason);
                write(ctx, Reply.refused(reason, messageFor(reason)), false);
                return;
            }
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            CompletionStage<Reply> reply = router.dispatch(Request.of(request, ctx.executor(), ctx.channel().remoteAddress()));
            reply.whenComplete((r, error) -> {
                Runnable send = () -> {
                    if (error != null) {
                        log.error("request failed", error);
                        write(ctx, Reply.text(HttpResponseStatus.INTERNAL_SERVER_ERROR,
                                "internal error; see the collector's log"), keepAlive);
                    } else {
                        write(ctx, r, keepAlive);
                    }
                };
                // Already on the channel's loop (a refusal, an ack completed there): write now, not
                // through one more task on the same queue.
                if (ctx.executor().inEventLoop()) {
                    send.run();
                } else {
                    ctx.executor().execute(send);
                }
            });
        } finally {
            request.release();
        }
    }

    private void write(ChannelHandlerContext ctx, Reply reply, boolean keepAlive) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, reply.status(),
                Unpooled.wrappedBuffer(reply.body()));
        reply.headers().forEach(response.headers()::set);
        // A 304 has no body, and its Content-Length would have to be the 200's: send neither.
        if (!reply.status().equals(HttpResponseStatus.NOT_MODIFIED)) {
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType());
            HttpUtil.setContentLength(response, reply.body().length);
        }
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        ctx.writeAndFlush(response).addListener((ChannelFutureListener) f -> {
            ConnectionTimeouts timeouts = ctx.pipeline().get(ConnectionTimeouts.class);
            if (timeouts != null) {
                timeouts.responseSent();
            }
            if (!keepAlive || !f.isSuccess()) {
                ctx.close();
            } else {
                next(ctx);
            }
        });
    }

    private static RejectReason reasonFor(Throwable cause) {
        if (cause instanceof TooLongHttpHeaderException) {
            return RejectReason.HEADERS_TOO_LARGE;
        }
        if (cause instanceof TooLongHttpLineException) {
            return RejectReason.URI_TOO_LONG;
        }
        return RejectReason.MALFORMED;
    }

    private static String messageFor(RejectReason reason) {
        return switch (reason) {
            case HEADERS_TOO_LARGE -> "the request headers are larger than limits.max_header_bytes; send fewer or shorter headers";
            case URI_TOO_LONG -> "the request line is longer than 4096 bytes; shorten the URL";
            default -> "the request is not valid HTTP/1.1";
        };
    }
}
