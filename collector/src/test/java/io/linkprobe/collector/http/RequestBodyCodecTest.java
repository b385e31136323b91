package io.linkprobe.collector.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** The aggregator and the inflater, alone: limits on the wire and after inflating. */
class RequestBodyCodecTest {
    static final int LIMIT = 1024;

    private static EmbeddedChannel channel() {
        return new EmbeddedChannel(new BodyLimitAggregator(LIMIT), new GzipRequestDecoder(LIMIT));
    }

    private static FullHttpRequest post(byte[] body, String encoding) {
        FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/api/v1/samples",
                Unpooled.wrappedBuffer(body));
        HttpUtil.setContentLength(r, body.length);
        if (encoding != null) {
            r.headers().set(HttpHeaderNames.CONTENT_ENCODING, encoding);
        }
        return r;
    }

    private static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        }
        return out.toByteArray();
    }

    @Test
    void plainBodyPassesThrough() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(post("{}".getBytes(StandardCharsets.UTF_8), null));

        FullHttpRequest out = ch.readInbound();
        assertEquals("{}", out.content().toString(StandardCharsets.UTF_8));
        out.release();
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void gzipBodyIsInflatedAndItsHeadersFixed() throws IOException {
        byte[] plain = "{\"sequence\": 1}".repeat(40).getBytes(StandardCharsets.UTF_8);
        EmbeddedChannel ch = channel();
        ch.writeInbound(post(gzip(plain), "gzip"));

        FullHttpRequest out = ch.readInbound();
        assertEquals(new String(plain, StandardCharsets.UTF_8), out.content().toString(StandardCharsets.UTF_8));
        assertFalse(out.headers().contains(HttpHeaderNames.CONTENT_ENCODING));
        assertEquals(plain.length, HttpUtil.getContentLength(out));
        out.release();
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void bodyThatInflatesPastTheLimitIsRefusedAndTheConnectionKept() throws IOException {
        byte[] bomb = gzip(new byte[LIMIT * 200]);
        assertTrue(bomb.length < LIMIT, "small on the wire: " + bomb.length);
        EmbeddedChannel ch = channel();
        ch.writeInbound(post(bomb, "gzip"));

        RefusedRequest refused = ch.readInbound();
        assertEquals(RejectReason.BODY_TOO_LARGE, refused.reason());
        assertTrue(refused.keepAlive(), "the whole body was read: the connection can go on");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void corruptGzipIsMalformed() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(post(new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2, 3}, "gzip"));

        RefusedRequest refused = ch.readInbound();
        assertEquals(RejectReason.MALFORMED, refused.reason());
        assertTrue(refused.message().startsWith("the body is not valid gzip"), refused.message());
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void declaredLengthOverTheLimitIsRefusedBeforeTheBodyAndTheBodyDiscarded() {
        EmbeddedChannel ch = channel();
        HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/api/v1/samples");
        HttpUtil.setContentLength(head, LIMIT + 1);
        ch.writeInbound(head);
        RefusedRequest refused = ch.readInbound();
        assertEquals(RejectReason.BODY_TOO_LARGE, refused.reason());
        assertTrue(refused.keepAlive());

        ByteBuf body = Unpooled.wrappedBuffer(new byte[LIMIT + 1]);
        ch.writeInbound(new DefaultHttpContent(body.retainedSlice(0, LIMIT)),
                new DefaultLastHttpContent(body.retainedSlice(LIMIT, 1)));
        body.release();
        assertNull(ch.readInbound(), "the refused body is dropped, not passed on");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void chunkedBodyCrossingTheLimitMidwayIsRefusedAndTheConnectionClosed() {
        EmbeddedChannel ch = channel();
        HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/api/v1/samples");
        HttpUtil.setTransferEncodingChunked(head, true);
        ch.writeInbound(head, new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[LIMIT - 10])),
                new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[20])));

        RefusedRequest refused = ch.readInbound();
        assertEquals(RejectReason.BODY_TOO_LARGE, refused.reason());
        assertFalse(refused.keepAlive(), "the rest of the stream has unknown length");
        assertFalse(ch.finishAndReleaseAll());
    }
}
