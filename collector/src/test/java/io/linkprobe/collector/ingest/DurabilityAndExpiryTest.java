package io.linkprobe.collector.ingest;

import static io.linkprobe.collector.Exposition.require;
import static io.linkprobe.collector.Exposition.unlabelled;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.collector.MutableClock;
import io.linkprobe.collector.TestCollector;
import io.linkprobe.common.testing.Samples;
import io.linkprobe.common.wire.Json;
import io.linkprobe.common.wire.PushAck;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What survives a restart, and what leaves /metrics when a site falls silent. */
class DurabilityAndExpiryTest {
    static final String TOKEN = "token-t";

    @TempDir
    Path dir;

    @Test
    void replayAfterRestartOnTheSameArchiveIsStoredOnce() throws Exception {
        String body = Samples.json(Samples.batch("t", 41,
                Samples.window("hub", System.currentTimeMillis() - 1_000, new int[] {2_000, 3_000}, 1, 1)));
        try (TestCollector first = TestCollector.start(dir, Map.of("t", TOKEN))) {
            assertEquals(new PushAck(41, false), Json.mapper().readValue(first.push(TOKEN, body).body(), PushAck.class));
        }
        try (TestCollector second = TestCollector.start(dir, Map.of("t", TOKEN))) {
            String before = second.metrics();
            assertTrue(before.contains("linkprobe_agent_last_push_timestamp_seconds{site=\"t\"}"),
                    "the site's last push is known again before it pushes");
            assertEquals(1, second.collector.archive().history("t", 0, Long.MAX_VALUE, 10).size());

            PushAck replay = Json.mapper().readValue(second.push(TOKEN, body).body(), PushAck.class);

            assertEquals(new PushAck(41, true), replay);
            String m = second.metrics();
            assertFalse(m.contains("linkprobe_rtt_seconds_count{site=\"t\""), "a replay is not aggregated");
            assertEquals(1, unlabelled(m, "linkprobe_collector_duplicates_total"));
            assertEquals(1, second.collector.archive().history("t", 0, Long.MAX_VALUE, 10).size());
            assertEquals(41, second.collector.archive().ackedSequence("agent-t"));
            assertEquals("t", Json.mapper().readTree(second.get("/api/v1/sites").body())
                    .get("sites").get(0).get("site").asText(), "listed again after the restart");
        }
    }

    @Test
    void silentSiteLeavesMetricsAfterTheTtlButStaysListed() throws Exception {
        MutableClock clock = MutableClock.now();
        try (TestCollector c = TestCollector.start(dir, Map.of("t", TOKEN, "u", "token-u"), clock,
                config -> config.withSeriesTtl(Duration.ofMinutes(10)))) {
            c.push(TOKEN, Samples.batch("t", 1, Samples.window("hub", clock.millis(), new int[] {1_000}, 0, 0),
                    Samples.throughput("hub", clock.millis(), "down", 1e6)));
            clock.advance(Duration.ofMinutes(6));
            c.push("token-u", Samples.batch("u", 1, Samples.window("hub", clock.millis(), new int[] {1_000}, 0, 0)));

            clock.advance(Duration.ofMinutes(5));
            assertEquals(1, c.collector.expireSilentSeries(), "t silent 11 min > 10 min; u silent 5 min");

            String m = c.metrics();
            for (String name : new String[] {"linkprobe_rtt_seconds_count", "linkprobe_packets_sent_total",
                    "linkprobe_jitter_seconds", "linkprobe_throughput_bytes_per_second",
                    "linkprobe_expected_throughput_bytes_per_second"}) {
                assertFalse(lineWith(m, name, "site=\"t\""), name + " of the silent site is gone");
            }
            assertEquals(1, require(m, "linkprobe_rtt_seconds_count", "site=\"u\""), "the live site keeps its series");
            assertTrue(lineWith(m, "linkprobe_agent_last_push_timestamp_seconds", "site=\"t\""),
                    "last push stays, so that 'silent since' alerts keep firing");
            assertTrue(lineWith(m, "linkprobe_site_info", "site=\"t\""));
            var site = Json.mapper().readTree(c.get("/api/v1/sites").body()).get("sites").get(0);
            assertEquals("t", site.get("site").asText());
            assertEquals("down", site.get("health").asText());
            assertTrue(site.get("series_expired").asBoolean());

            c.push(TOKEN, Samples.batch("t", 2, Samples.window("hub", clock.millis(), new int[] {1_000}, 0, 0)));
            assertEquals(1, require(c.metrics(), "linkprobe_rtt_seconds_count", "site=\"t\""),
                    "a returning site starts its series afresh");
        }
    }

    private static boolean lineWith(String scrape, String name, String label) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(name + "{") && line.contains(label)) {
                return true;
            }
        }
        return false;
    }
}
