package io.linkprobe.collector.http;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.linkprobe.common.testing.fuzz.FuzzInput;
import io.linkprobe.common.testing.fuzz.Fuzzing;
import io.linkprobe.common.testing.fuzz.LeakReports;
import io.linkprobe.common.testing.fuzz.TrackingAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;

/**
 * {@link GzipRequestDecoder} against any compressed body: it passes the request on inflated (at most
 * {@code max_body_bytes}, Content-Length saying so, no Content-Encoding left) or turns it into a
 * {@link RefusedRequest} (its declared refusal: not valid gzip/deflate, too large inflated, an
 * encoding it does not take). Nothing else may come out of it, and no buffer may be left behind.
 *
 * <pre>
 * input := coding u8 (0 gzip, 1 x-gzip, 2 deflate, 3 identity, else the next chunk is the header)
 *          limit u8 (max body = (limit + 1) * 1 KiB) | [header: length u16 | bytes] | body bytes
 * </pre>
 */
class GzipRequestFuzzTest {
    private static final String[] CODINGS = {"gzip", "X-Gzip", "Deflate", "identity"};

    static {
        LeakReports.install();
    }

    @FuzzTest(maxDuration = Fuzzing.DURATION)
    void inflate(byte[] bytes) {
        FuzzInput in = new FuzzInput(bytes);
        int coding = in.u8();
        int maxBody = (in.u8() + 1) * 1024;
        String encoding = coding < CODINGS.length ? CODINGS[coding] : new String(in.chunk(), StandardCharsets.ISO_8859_1);
        TrackingAllocator alloc = new TrackingAllocator();
        EmbeddedChannel ch = new EmbeddedChannel(false, false, new GzipRequestDecoder(maxBody));
        ch.config().setAllocator(alloc);
        try {
            ch.register();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/api/v1/samples",
                alloc.wrap(in.rest()));
        try {
            request.headers().set(HttpHeaderNames.CONTENT_ENCODING, encoding);
        } catch (IllegalArgumentException e) {
            // not a header value Netty's HTTP decoder would ever deliver: the request goes without it
        }
        ch.writeInbound(request);
        Object out = ch.readInbound();
        try {
            if (out instanceof FullHttpRequest plain) {
                int length = plain.content().readableBytes();
                if (request.headers().contains(HttpHeaderNames.CONTENT_ENCODING) && plain != request) {
                    if (length > maxBody || HttpUtil.getContentLength(plain, -1L) != length
                            || plain.headers().contains(HttpHeaderNames.CONTENT_ENCODING)) {
                        throw new AssertionError("inflated to " + length + " bytes (limit " + maxBody + "), headers "
                                + plain.headers());
                    }
                }
            } else if (!(out instanceof RefusedRequest)) {
                throw new AssertionError("neither a request nor a refusal: " + out);
            }
        } finally {
            ReferenceCountUtil.release(out);
        }
        if (ch.readInbound() != null) {
            throw new AssertionError("two messages out of one request");
        }
        ch.checkException();
        if (ch.finishAndReleaseAll()) {
            throw new AssertionError("messages left in the channel");
        }
        alloc.assertAllReleased();
        LeakReports.assertNone();
    }

    @AfterAll
    static void noLeakReportedByNetty() throws InterruptedException {
        LeakReports.collectAndAssertNone();
    }
}
