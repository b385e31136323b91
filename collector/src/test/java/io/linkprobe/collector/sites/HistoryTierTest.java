package io.linkprobe.collector.sites;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.linkprobe.collector.MutableClock;
import io.linkprobe.collector.TestCollector;
import io.linkprobe.common.testing.Samples;
import io.linkprobe.common.wire.Json;
import io.linkprobe.common.wire.Sample;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/v1/sites/{site}?from=&to=} answers a range within the raw retention from the raw
 * tier and an older one from the hourly rollups, and says which; {@code tier=} chooses.
 */
class HistoryTierTest {
    static final long HOUR = 3_600_000L;

    @TempDir
    Path dir;

    @Test
    void recentRangeIsRawOlderRangeIsHourlyAndTheAnswerSaysWhich() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-10T12:30:00Z").toEpochMilli());
        try (TestCollector c = TestCollector.start(dir, Map.of("gp1", "token-gp1"), clock, x -> x)) {
            long hourStart = Instant.parse("2026-03-10T11:00:00Z").toEpochMilli();
            List<Sample> windows = new ArrayList<>();
            for (int i = 1; i <= 30; i++) {
                windows.add(Samples.window("hub", hourStart + i * 60_000L, new int[] {10_000 + i, 12_000, 30_000}, i % 2, 0));
            }
            windows.add(Samples.video("hub", hourStart + 40 * 60_000L, "ready", 8, 0, 0.1, 900));
            assertEquals(200, c.push("token-gp1", Samples.batch("gp1", 1, windows.toArray(Sample[]::new))).statusCode());

            JsonNode raw = get(c, "/api/v1/sites/gp1?from=" + hourStart / 1000);
            assertEquals("raw", raw.get("tier").asText());
            assertEquals(31, raw.get("samples").size());

            c.collector.archive().rollUp();
            clock.advance(Duration.ofDays(20));
            String range = "?from=" + (hourStart - HOUR) / 1000 + "&to=" + (hourStart + 2 * HOUR) / 1000;
            JsonNode hourly = get(c, "/api/v1/sites/gp1" + range);
            assertEquals("hourly", hourly.get("tier").asText(), "20 days back is older than the raw retention (14 d)");
            assertEquals(1, hourly.get("rollups").size());
            JsonNode latency = hourly.get("rollups").get(0).get("latency");
            assertEquals(30, latency.get("windows").asLong());
            assertEquals(90 + 15, latency.get("sent").asLong(), "3 received per window plus the lost forward ones");
            assertEquals(15, latency.get("lost_forward").asLong());
            assertEquals(12_000, latency.get("rtt_p50_micros").asDouble(), 12_000 * 0.01);
            JsonNode video = hourly.get("rollups").get(0).get("video").get(0);
            assertEquals("ready", video.get("verdict").asText(), "the video verdict outlives the raw tier");
            assertEquals(8, video.get("calls").asInt());
            assertEquals(0.1, video.get("loss_down_percent").asDouble(), 1e-9);

            assertEquals("raw", get(c, "/api/v1/sites/gp1" + range + "&tier=raw").get("tier").asText());
            assertEquals(400, c.get("/api/v1/sites/gp1?tier=weekly").statusCode());
        }
    }

    static JsonNode get(TestCollector c, String path) throws Exception {
        var r = c.get(path);
        assertEquals(200, r.statusCode(), r.body());
        return Json.mapper().readTree(r.body());
    }
}
