package io.linkprobe.collector.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.collector.MutableClock;
import io.linkprobe.collector.TestCollector;
import io.linkprobe.collector.config.ByteSize;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every refusal at the door answers a status, a one-line reason and a counted reason, spoken over a
 * raw socket so that what is on the wire is seen (an HTTP client may hide an empty body or an
 * interim 100 Continue).
 */
class BodyLimitTest {
    static final int LIMIT = 64 * 1024;
    static final String TOO_LARGE = "the request body is larger than 65536 bytes (limits.max_body_bytes);"
            + " push fewer results per request\n";

    @TempDir
    Path dir;
    TestCollector c;

    @BeforeEach
    void start() throws Exception {
        c = TestCollector.start(dir, Map.of("a", "token-a"), MutableClock.now(),
                config -> config.withLimits(config.limits().withMaxBodyBytes(ByteSize.ofKibibytes(64))));
    }

    @AfterEach
    void stop() {
        c.close();
    }

    record Response(int status, Map<String, String> headers, String body) {}

    private Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", c.collector.httpPort());
        s.setSoTimeout(10_000);
        return s;
    }

    private static void send(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
    }

    /** One response (status line, headers, Content-Length body), leaving the connection as it is. */
    private static Response read(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after: " + head);
            }
            head.append((char) b);
        }
        String[] lines = head.toString().split("\r\n");
        Map<String, String> headers = new java.util.HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        return new Response(Integer.parseInt(lines[0].split(" ")[1]), headers,
                new String(in.readNBytes(length), StandardCharsets.UTF_8));
    }

    private double rejected(String reason) {
        return c.collector.registry().get("linkprobe.collector.rejected").tag("reason", reason).counter().count();
    }

    private static String post(String headers) {
        return "POST /api/v1/samples HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer token-a\r\n" + headers + "\r\n";
    }

    @Test
    void contentLengthOverTheLimitGets413WithItsReasonAndTheConnectionCarriesOn() throws Exception {
        try (Socket s = connect()) {
            send(s, post("Content-Length: " + (LIMIT + 1) + "\r\n") + "x".repeat(LIMIT + 1));
            Response r = read(s);

            assertEquals(413, r.status());
            assertEquals(TOO_LARGE, r.body());
            assertEquals("text/plain; charset=utf-8", r.headers().get("content-type"));
            assertFalse("close".equals(r.headers().get("connection")), "the body was read and discarded");
            send(s, "GET /-/healthy HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(200, read(s).status(), "the same connection serves the next request");
        }
        assertEquals(1, rejected("body_too_large"));
    }

    @Test
    void expect100ContinueOverTheLimitGets413WithItsReasonInsteadOfNettysEmptyOne() throws Exception {
        try (Socket s = connect()) {
            // As curl sends a large body: headers first, the body only after a 100 Continue.
            send(s, post("Content-Length: " + 10 * LIMIT + "\r\nExpect: 100-continue\r\n"));
            Response r = read(s);

            assertEquals(413, r.status(), "a final answer, no 100 Continue first");
            assertEquals(TOO_LARGE, r.body());
            assertEquals("close", r.headers().get("connection"),
                    "whether the client still sends the announced body is unknown: the stream ends here");
            assertEquals(-1, s.getInputStream().read());
        }
        assertEquals(1, rejected("body_too_large"));
    }

    @Test
    void chunkedBodyCrossingTheLimitMidwayGets413WithItsReasonAndCloses() throws Exception {
        try (Socket s = connect()) {
            StringBuilder chunks = new StringBuilder(post("Transfer-Encoding: chunked\r\n"));
            for (int i = 0; i < 70; i++) {
                chunks.append("400\r\n").append("y".repeat(1024)).append("\r\n");
            }
            send(s, chunks.append("0\r\n\r\n").toString());
            Response r = read(s);

            assertEquals(413, r.status());
            assertEquals(TOO_LARGE, r.body());
            assertEquals("close", r.headers().get("connection"));
        }
        assertEquals(1, rejected("body_too_large"));
    }

    @Test
    void requestLineOverTheLimitGets414WithItsReason() throws Exception {
        try (Socket s = connect()) {
            send(s, "GET /" + "u".repeat(5_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
            Response r = read(s);

            assertEquals(414, r.status());
            assertEquals("the request line is longer than 4096 bytes; shorten the URL\n", r.body());
        }
        assertEquals(1, rejected("uri_too_long"));
    }

    @Test
    void headersOverTheLimitGet431WithItsReason() throws Exception {
        try (Socket s = connect()) {
            send(s, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "h".repeat(20_000) + "\r\n\r\n");
            Response r = read(s);

            assertEquals(431, r.status());
            assertEquals("the request headers are larger than limits.max_header_bytes; send fewer or shorter headers\n",
                    r.body());
        }
        assertEquals(1, rejected("headers_too_large"));
    }

    @Test
    void notHttpGets400WithItsReason() throws Exception {
        try (Socket s = connect()) {
            send(s, "GARBAGE\r\n\r\n");
            Response r = read(s);

            assertEquals(400, r.status());
            assertEquals("the request is not valid HTTP/1.1\n", r.body());
        }
        assertEquals(1, rejected("malformed"));
    }

    @Test
    void unsupportedEncodingGets415WithItsReason() throws Exception {
        try (Socket s = connect()) {
            send(s, post("Content-Encoding: br\r\nContent-Length: 2\r\n") + "{}");
            Response r = read(s);

            assertEquals(415, r.status());
            assertEquals("Content-Encoding 'br' is not supported; send the body plain or with gzip\n", r.body());
        }
        assertEquals(1, rejected("unsupported_encoding"));
    }
}
