package io.linkprobe.collector.ingest;

import static io.linkprobe.collector.Exposition.require;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.collector.MutableClock;
import io.linkprobe.collector.TestCollector;
import io.linkprobe.collector.config.ByteSize;
import io.linkprobe.common.testing.Samples;
import io.linkprobe.common.wire.AgentIdentity;
import io.linkprobe.common.wire.LatencyWindow;
import io.linkprobe.common.wire.PushBatch;
import io.linkprobe.common.wire.ThroughputResult;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way a push is refused: status, one-line reason, and the counted reason. */
class RefusalsTest {
    static final String TOKEN_A = "token-a";
    static final String TOKEN_B = "token-b";

    @TempDir
    Path dir;
    TestCollector c;

    @BeforeEach
    void start() throws Exception {
        c = TestCollector.start(dir, Map.of("a", TOKEN_A, "b", TOKEN_B), MutableClock.now(),
                config -> config.withLimits(config.limits()
                        .withMaxBodyBytes(ByteSize.ofKibibytes(64))
                        .withSiteLimits(3, 2, 3)));
    }

    @AfterEach
    void stop() {
        c.close();
    }

    private double rejected(String reason) throws Exception {
        return require(c.metrics(), "linkprobe_collector_rejected_total", "reason=\"" + reason + "\"");
    }

    private static void assertOneLine(HttpResponse<String> r) {
        assertTrue(r.body().endsWith("\n") && r.body().indexOf('\n') == r.body().length() - 1,
                "one line: " + r.body());
    }

    @Test
    void malformedBodyGets400WithOneLineReason() throws Exception {
        HttpResponse<String> notJson = c.push(TOKEN_A, "{\"agent\": ");
        HttpResponse<String> badDirection = c.push(TOKEN_A, Samples.json(Samples.batch("a", 1,
                Samples.throughput("hub", c.clock.millis(), "sideways", 1e6))));

        assertEquals(400, notJson.statusCode());
        assertOneLine(notJson);
        assertTrue(notJson.body().startsWith("malformed push: line 1 column"), notJson.body());
        assertEquals(400, badDirection.statusCode());
        assertEquals("malformed push: samples[0].direction 'sideways' is not down or up\n", badDirection.body());
        ThroughputResult ok = Samples.throughput("hub", c.clock.millis(), "down", 1e6);
        ThroughputResult markup = new ThroughputResult(ok.target(), ok.startEpochMillis(), ok.endEpochMillis(),
                ok.direction(), ok.result(), null, ok.streams(), ok.bytes(), ok.seconds(), ok.steadyBytesPerSecond(),
                ok.meanBytesPerSecond(), ok.stable(), ok.intervalMillis(), ok.intervalBytes(),
                new ThroughputResult.TcpInfo(9_000L, 0, 10L, "<b>cubic</b>"), ok.loaded());
        HttpResponse<String> badAlgorithm = c.push(TOKEN_A, Samples.json(Samples.batch("a", 1, markup)));
        assertEquals(400, badAlgorithm.statusCode());
        assertEquals("malformed push: samples[0].tcp.congestion_control '<b>cubic</b>' is not an algorithm name "
                + "(1-15 of a-z, 0-9, _)\n", badAlgorithm.body());
        assertEquals(3, rejected("malformed"));
    }

    /**
     * Issue 7's three pushes that were stored and poisoned counters for good: lost_forward 10¹² for
     * 24 sent, received = 1000 × sent, an RTT of 1e308. Each is 400 naming the field, counted as
     * implausible, and nothing of it reaches /metrics; the same site's next good push is stored.
     */
    @Test
    void impossibleValuesGet400ImplausibleAndNeverReachMetrics() throws Exception {
        long now = c.clock.millis();
        LatencyWindow good = Samples.window("hub", now - 1_000, new int[] {9_000, 10_000}, 0, 0);
        LatencyWindow lostALot = copy(good, 24, 24, 1_000_000_000_000L, new int[0], null);
        LatencyWindow receivedALot = copy(good, 24, 24_000, 0, new int[] {9_000}, good.rtt());
        LatencyWindow farRtt = copy(good, 24, 24, 0, new int[] {9_000},
                new LatencyWindow.RttSummary(9_000, 9_000, 9_000, 9_000, 1e308, 9_000));

        HttpResponse<String> lost = c.push(TOKEN_A, Samples.batch("a", 1, lostALot, Samples.health(now, 0)));
        HttpResponse<String> received = c.push(TOKEN_A, Samples.batch("a", 2, receivedALot));
        HttpResponse<String> rtt = c.push(TOKEN_A, Samples.batch("a", 3, farRtt));

        assertEquals(400, lost.statusCode());
        assertEquals("implausible push: samples[0].lost_forward 1000000000000 is more than sent 24\n", lost.body());
        assertEquals(400, received.statusCode());
        assertTrue(received.body().startsWith("implausible push: samples[0].received 24000 is more than sent 24"),
                received.body());
        assertEquals(400, rtt.statusCode());
        assertTrue(rtt.body().startsWith("implausible push: samples[0].rtt.max 1.0E308 is beyond"), rtt.body());
        assertOneLine(rtt);
        assertEquals(3, rejected("implausible"));
        String metrics = c.metrics();
        assertFalse(metrics.contains("site=\"a\""), "nothing of a refused push is aggregated");
        assertTrue(metrics.lines().filter(l -> l.startsWith("linkprobe_"))
                .noneMatch(l -> l.contains("E12") || l.contains("E308")), "no impossible value in any linkprobe series");

        assertEquals(200, c.push(TOKEN_A, Samples.batch("a", 4, good)).statusCode());
        assertEquals(0, require(c.metrics(), "linkprobe_packets_lost_total", "site=\"a\"", "direction=\"up\""));
    }

    private static LatencyWindow copy(LatencyWindow w, long sent, long received, long lostForward, int[] rtts,
            LatencyWindow.RttSummary rtt) {
        return new LatencyWindow(w.target(), w.startEpochMillis(), w.endEpochMillis(), sent, received, lostForward,
                0, 0, 0, rtt, w.jitterMicros(), null, null, 44 * sent, 44 * received, null, null, rtts);
    }

    @Test
    void wrongOrMissingTokenGets401() throws Exception {
        String body = Samples.json(Samples.batch("a", 1));
        HttpResponse<String> wrong = c.push("not-a-token", body);
        HttpResponse<String> missing = c.send(java.net.http.HttpRequest.newBuilder(c.uri("/api/v1/samples"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build());

        assertEquals(401, wrong.statusCode());
        assertOneLine(wrong);
        assertTrue(wrong.body().startsWith("unknown token"), wrong.body());
        assertEquals("Bearer realm=\"linkprobe\"", wrong.headers().firstValue("WWW-Authenticate").orElse(""));
        assertEquals(401, missing.statusCode());
        assertEquals(2, rejected("unauthorized"));
    }

    @Test
    void tokenOfOneSiteCannotPushAsAnother() throws Exception {
        HttpResponse<String> r = c.push(TOKEN_A, Samples.batch("b", 1));

        assertEquals(403, r.statusCode());
        assertEquals("this token admits site 'a', but the push is for site 'b'; use the site's own token\n", r.body());
        assertEquals(1, rejected("wrong_site"));
        assertEquals(200, c.push(TOKEN_B, Samples.batch("b", 1)).statusCode());
    }

    @Test
    void bodyOverTheLimitGets413OnTheWireAndAfterDecompression() throws Exception {
        byte[] big = ("{\"pad\": \"" + "x".repeat(70 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> plain = c.push(TOKEN_A, new String(big, StandardCharsets.UTF_8));
        // 70 KiB of 'x' compresses to well under the 64 KiB limit: only inflating reveals the size.
        assertTrue(TestCollector.gzip(big).length < 1024);
        HttpResponse<String> gzipped = c.pushGzip(TOKEN_A, big);

        assertEquals(413, plain.statusCode());
        assertEquals("the request body is larger than 65536 bytes (limits.max_body_bytes); push fewer results per request\n",
                plain.body());
        assertEquals(413, gzipped.statusCode());
        assertTrue(gzipped.body().startsWith("the request body inflates to more than 65536 bytes"), gzipped.body());
        assertOneLine(gzipped);
        assertEquals(2, rejected("body_too_large"));
    }

    @Test
    void gzipBodyWithinTheLimitIsAccepted() throws Exception {
        byte[] body = Samples.json(Samples.batch("a", 1, Samples.window("hub", c.clock.millis(), new int[] {800}, 0, 0)))
                .getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = c.pushGzip(TOKEN_A, body);

        assertEquals(200, r.statusCode(), r.body());
        assertEquals(1, require(c.metrics(), "linkprobe_rtt_seconds_count", "site=\"a\""));
    }

    @Test
    void newSitesBeyondMaxSitesGet429WithRetryAfter() throws Exception {
        Map<String, String> tokens = new HashMap<>();
        for (String s : List.of("s1", "s2", "s3", "s4")) {
            tokens.put(s, "tok-" + s);
        }
        c.close();
        c = TestCollector.start(dir, tokens, MutableClock.now(),
                config -> config.withLimits(config.limits().withSiteLimits(3, 2, 3)));
        for (String s : List.of("s1", "s2", "s3")) {
            assertEquals(200, c.push("tok-" + s, Samples.batch(s, 1)).statusCode());
        }
        HttpResponse<String> fourth = c.push("tok-s4", Samples.batch("s4", 1));

        assertEquals(429, fourth.statusCode());
        assertEquals("600", fourth.headers().firstValue("Retry-After").orElse(""));
        assertTrue(fourth.body().contains("limits.max_sites"), fourth.body());
        assertEquals(1, rejected("max_sites"));
        assertEquals(200, c.push("tok-s1", Samples.batch("s1", 2)).statusCode(), "known sites carry on");
    }

    @Test
    void targetsAndLabelsBeyondTheLimitsAreRefused() throws Exception {
        long now = c.clock.millis();
        HttpResponse<String> threeTargets = c.push(TOKEN_A, Samples.batch("a", 1,
                Samples.window("t1", now, new int[] {1}, 0, 0), Samples.window("t2", now, new int[] {1}, 0, 0),
                Samples.window("t3", now, new int[] {1}, 0, 0)));
        AgentIdentity manyLabels = new AgentIdentity("a", "agent-a", "b", "1",
                Map.of("region", "r", "link", "l", "x", "1", "y", "2"), null);
        HttpResponse<String> fourLabels = c.push(TOKEN_A, new PushBatch(manyLabels, 2, List.of()));
        AgentIdentity longLabel = new AgentIdentity("a", "agent-a", "b", "1", Map.of("region", "r".repeat(200)), null);
        HttpResponse<String> tooLong = c.push(TOKEN_A, new PushBatch(longLabel, 3, List.of()));

        assertEquals(400, threeTargets.statusCode());
        assertTrue(threeTargets.body().contains("limits.max_targets_per_site"), threeTargets.body());
        assertEquals(400, fourLabels.statusCode());
        assertTrue(fourLabels.body().contains("limits.max_labels_per_site"), fourLabels.body());
        assertEquals(400, tooLong.statusCode());
        assertTrue(tooLong.body().contains("limits.max_label_value_length"), tooLong.body());
        assertEquals(1, rejected("max_targets"));
        assertEquals(2, rejected("max_labels"));
        assertFalse(c.metrics().contains("target=\"t1\""), "nothing of a refused push is aggregated");
    }

    @Test
    void unsupportedEncodingGets415() throws Exception {
        HttpResponse<String> r = c.send(java.net.http.HttpRequest.newBuilder(c.uri("/api/v1/samples"))
                .header("Authorization", "Bearer " + TOKEN_A).header("Content-Encoding", "br")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build());

        assertEquals(415, r.statusCode());
        assertEquals("Content-Encoding 'br' is not supported; send the body plain or with gzip\n", r.body());
        assertEquals(1, rejected("unsupported_encoding"));
    }
}
