package io.linkprobe.collector.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpUtil;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipException;

/**
 * Inflates {@code gzip} and {@code deflate} request bodies, stopping as soon as the inflated size
 * passes {@code max_body_bytes}. It runs after the aggregator (not before it, as Netty's
 * {@code HttpContentDecompressor} would) so that both sides of the limit hold: the compressed body
 * was bounded on the wire, and inflating never produces, nor spends CPU on, more than the limit:
 * a 1 MiB gzip bomb costs one MiB of output, not a gigabyte.
 */
public final class GzipRequestDecoder extends MessageToMessageDecoder<FullHttpRequest> {
    private static final int CHUNK = 16 * 1024;

    private final int maxBodyBytes;

    public GzipRequestDecoder(int maxBodyBytes) {
        super(FullHttpRequest.class);
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, FullHttpRequest request, List<Object> out) {
        String encoding = request.headers().get(HttpHeaderNames.CONTENT_ENCODING);
        if (!request.decoderResult().isSuccess() || encoding == null
                || encoding.isBlank() || encoding.trim().equalsIgnoreCase("identity")) {
            out.add(request.retain());
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        String coding = encoding.trim().toLowerCase(Locale.ROOT);
        if (!coding.equals("gzip") && !coding.equals("x-gzip") && !coding.equals("deflate")) {
            out.add(new RefusedRequest(RejectReason.UNSUPPORTED_ENCODING, "Content-Encoding '"
                    + encoding.trim() + "' is not supported; send the body plain or with gzip", keepAlive));
            return;
        }
        ByteBuf inflated = ctx.alloc().buffer(Math.min(maxBodyBytes, Math.max(CHUNK, request.content().readableBytes() * 4)));
        try (InputStream in = coding.equals("deflate")
                ? new InflaterInputStream(new ByteBufInputStream(request.content().duplicate()))
                : new GZIPInputStream(new ByteBufInputStream(request.content().duplicate()), CHUNK);
                ByteBufOutputStream sink = new ByteBufOutputStream(inflated)) {
            byte[] chunk = new byte[CHUNK];
            for (int n; (n = in.read(chunk)) > 0; ) {
                if (inflated.readableBytes() + n > maxBodyBytes) {
                    inflated.release();
                    out.add(new RefusedRequest(RejectReason.BODY_TOO_LARGE, "the request body inflates to more than "
                            + maxBodyBytes + " bytes (limits.max_body_bytes); push fewer results per request", keepAlive));
                    return;
                }
                sink.write(chunk, 0, n);
            }
        } catch (ZipException | java.io.EOFException e) {
            inflated.release();
            out.add(new RefusedRequest(RejectReason.MALFORMED,
                    "the body is not valid " + coding + " (" + e.getMessage() + ")", keepAlive));
            return;
        } catch (IOException e) {
            inflated.release();
            throw new IllegalStateException("reading an in-memory buffer cannot fail", e);
        }
        FullHttpRequest plain = request.replace(inflated);
        plain.headers().remove(HttpHeaderNames.CONTENT_ENCODING);
        HttpUtil.setContentLength(plain, inflated.readableBytes());
        out.add(plain);
    }
}
