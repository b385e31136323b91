package io.linkprobe.collector.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.collector.MutableClock;
import io.linkprobe.collector.TestCollector;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Limits enforced on raw connections: header size, timeouts, connection count, keep-alive. */
class ConnectionLimitsTest {
    @TempDir
    Path dir;
    TestCollector c;

    @BeforeEach
    void start() throws Exception {
        c = TestCollector.start(dir, Map.of("a", "token-a"), MutableClock.now(),
                config -> config.withLimits(config.limits()
                        .withTimeouts(Duration.ofMillis(600), Duration.ofMillis(900))
                        .withMaxConnections(3)));
    }

    @AfterEach
    void stop() {
        c.close();
    }

    private Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", c.collector.httpPort());
        s.setSoTimeout(5_000);
        return s;
    }

    /** Everything until the server closes the connection. */
    private static String readAll(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        for (int n; (n = in.read(buf)) > 0; ) {
            out.write(buf, 0, n);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** One response with Content-Length, leaving the connection open. */
    private static String readResponse(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after: " + head);
            }
            head.append((char) b);
        }
        int length = Integer.parseInt(head.toString().toLowerCase().split("content-length: ")[1].split("\r\n")[0].trim());
        return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private static void send(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
    }

    /** Read from the registry, not over HTTP: another connection would disturb what is measured. */
    private double rejected(String reason) {
        return c.collector.registry().get("linkprobe.collector.rejected").tag("reason", reason).counter().count();
    }

    @Test
    void keepAliveCarriesSeveralRequestsAndAnswersPipelinedOnesInOrder() throws Exception {
        try (Socket s = connect()) {
            send(s, "GET /-/healthy HTTP/1.1\r\nHost: x\r\n\r\nGET /-/ready HTTP/1.1\r\nHost: x\r\n\r\n");
            String first = readResponse(s);
            String second = readResponse(s);
            assertTrue(first.startsWith("HTTP/1.1 200") && first.endsWith("healthy\n"), first);
            assertTrue(second.startsWith("HTTP/1.1 200") && second.endsWith("ready\n"), second);
            send(s, "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(readResponse(s).startsWith("HTTP/1.1 404"));
        }
    }

    @Test
    void oversizedHeadersGet431() throws Exception {
        try (Socket s = connect()) {
            send(s, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "y".repeat(20_000) + "\r\n\r\n");
            String response = readAll(s);
            assertTrue(response.startsWith("HTTP/1.1 431"), response);
            assertTrue(response.contains("limits.max_header_bytes"), response);
        }
        assertEquals(1, rejected("headers_too_large"));
    }

    @Test
    void requestTricklingInBeyondReadTimeoutGets408() throws Exception {
        try (Socket s = connect()) {
            long start = System.nanoTime();
            send(s, "POST /api/v1/samples HTTP/1.1\r\nHost: x\r\n");
            // Keep sending a header byte now and then: an inactivity timer would never fire.
            for (int i = 0; i < 5; i++) {
                Thread.sleep(150);
                try {
                    send(s, "X");
                } catch (IOException closed) {
                    break;
                }
            }
            String response = readAll(s);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(response.startsWith("HTTP/1.1 408"), response);
            assertTrue(millis >= 550, "not before the 600 ms deadline: " + millis);
        }
        assertEquals(1, rejected("read_timeout"));
    }

    @Test
    void idleKeepAliveConnectionIsClosedAfterIdleTimeout() throws Exception {
        try (Socket s = connect()) {
            send(s, "GET /-/healthy HTTP/1.1\r\nHost: x\r\n\r\n");
            readResponse(s);
            long start = System.nanoTime();
            assertEquals(-1, s.getInputStream().read(), "closed by the server");
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis >= 800 && millis < 4_000, "closed after ~900 ms idle: " + millis);
        }
        assertEquals(1, rejected("idle_timeout"));
    }

    @Test
    void connectionsBeyondTheLimitGet503AndRetryAfter() throws Exception {
        // Connections are counted on their event loops, so which of the four is refused is not fixed.
        java.util.List<Socket> sockets = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                sockets.add(connect());
            }
            Thread.sleep(200);
            java.util.List<String> refused = new java.util.ArrayList<>();
            int served = 0;
            for (Socket s : sockets) {
                send(s, "GET /-/healthy HTTP/1.1\r\nHost: x\r\n\r\n");
                String response = readResponse(s);
                if (response.startsWith("HTTP/1.1 200")) {
                    served++;
                } else {
                    refused.add(response);
                }
            }
            assertEquals(3, served, "connections within the limit are served");
            assertEquals(1, refused.size());
            assertTrue(refused.get(0).startsWith("HTTP/1.1 503"), refused.get(0));
            assertTrue(refused.get(0).contains("Retry-After: 5"), refused.get(0));
            assertTrue(refused.get(0).contains("limits.max_connections"), refused.get(0));
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
        assertEquals(1, rejected("max_connections"));
    }
}
