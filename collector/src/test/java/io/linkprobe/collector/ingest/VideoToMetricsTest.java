package io.linkprobe.collector.ingest;

import static io.linkprobe.collector.Exposition.require;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.linkprobe.collector.TestCollector;
import io.linkprobe.common.testing.Samples;
import io.linkprobe.common.wire.Json;
import io.linkprobe.common.wire.VideoResult;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A video test's result reaches /metrics, the archive, /api/v1/sites and the pages of a real collector. */
class VideoToMetricsTest {
    static final String TOKEN = "token-of-site-t";

    @TempDir
    Path dir;
    TestCollector c;

    @BeforeEach
    void start() throws Exception {
        c = TestCollector.start(dir, Map.of("t", TOKEN));
    }

    @AfterEach
    void stop() {
        c.close();
    }

    @Test
    void aVideoResultBecomesTheVideoMeters() throws Exception {
        long end = c.clock.millis() - 1_000;
        HttpResponse<String> r = c.push(TOKEN, Samples.batch("t", 1, Samples.video("hub", end, "marginal", 6, 0.4, 0.2, 3_500)));
        assertEquals(200, r.statusCode(), r.body());

        String m = c.metrics();
        assertEquals(6, require(m, "linkprobe_video_calls", "site=\"t\"", "target=\"hub\""));
        assertEquals(1, require(m, "linkprobe_video_verdict", "site=\"t\"", "target=\"hub\""));
        assertEquals(4.2, require(m, "linkprobe_video_mos", "site=\"t\""), 1e-12);
        assertEquals(0.004, require(m, "linkprobe_video_loss_ratio", "site=\"t\"", "direction=\"up\""), 1e-12);
        assertEquals(0.002, require(m, "linkprobe_video_loss_ratio", "site=\"t\"", "direction=\"down\""), 1e-12);
        assertEquals(0.0035, require(m, "linkprobe_video_jitter_seconds", "site=\"t\"", "direction=\"down\""), 1e-12);
        assertEquals(1, require(m, "linkprobe_video_tests_total", "site=\"t\"", "result=\"ok\""));
        assertEquals(6_000_000 + 1_500_000 * (2 + 3 + 4 + 6), require(m, "linkprobe_video_probe_bytes_total", "site=\"t\""));
    }

    @Test
    void aTestThatCouldNotRunCountsButLeavesTheLastVerdict() throws Exception {
        long end = c.clock.millis() - 60_000;
        c.push(TOKEN, Samples.batch("t", 1, Samples.video("hub", end, "ready", 8, 0, 0, 800)));
        VideoResult unreachable = new VideoResult("hub", end, end + 30_000, "unreachable", "no STAMP replies from h:862",
                null, List.of(), null, 0, null, 1200, 1200, 0, null, null, 0, null, null, null, null, null, 3_000_000, List.of());
        assertEquals(200, c.push(TOKEN, Samples.batch("t", 2, unreachable)).statusCode());

        String m = c.metrics();
        assertEquals(2, require(m, "linkprobe_video_verdict", "site=\"t\""));
        assertEquals(1, require(m, "linkprobe_video_tests_total", "result=\"unreachable\""));
        JsonNode site = Json.mapper().readTree(c.get("/api/v1/sites/t").body());
        assertEquals("ready", site.path("summary").path("video").get(0).path("verdict").asText());
        long videos = 0;
        for (JsonNode s : site.path("samples")) {
            videos += "video".equals(s.path("type").asText()) ? 1 : 0;
        }
        assertEquals(2, videos, "both results are in the archive, as pushed");
    }

    @Test
    void theStatusPageAndTheSitePageShowTheVerdictAndWhatFailed() throws Exception {
        long end = c.clock.millis() - 1_000;
        c.push(TOKEN, Samples.batch("t", 1, Samples.video("hub", end, "not_ready", 0, 2.5, 0.1, 12_000)));

        String status = c.get("/").body();
        assertTrue(status.contains("Video calls"), "the column heading");
        assertTrue(status.contains("not ready</span> · 0 calls"), status);
        assertTrue(status.contains("loss up 2.5 % ≥ 1.00 %"), "what failed, under the verdict");
        assertTrue(c.get("/?sort=video").statusCode() == 200);

        String page = c.get("/sites/t").body();
        assertTrue(page.contains("<h2>Video readiness</h2>"), page);
        assertTrue(page.contains("carries 0, stopped by verdict"), "the ladder of the recent test");
        assertFalse(page.contains("No video test has run"), "the latest verdict is shown");
    }

    @Test
    void aVerdictOutsideTheKnownNamesIsRefused() throws Exception {
        long end = c.clock.millis() - 1_000;
        String body = Samples.json(Samples.batch("t", 1, Samples.video("hub", end, "ready", 8, 0, 0, 800)))
                .replace("\"verdict\":\"ready\"", "\"verdict\":\"<b>fine</b>\"");
        HttpResponse<String> r = c.push(TOKEN, body);
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("samples[0].verdict '<b>fine</b>' is not one of"), r.body());
    }
}
