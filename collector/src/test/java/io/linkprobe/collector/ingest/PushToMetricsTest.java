package io.linkprobe.collector.ingest;

import static io.linkprobe.collector.Exposition.require;
import static io.linkprobe.collector.Exposition.unlabelled;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.collector.TestCollector;
import io.linkprobe.common.testing.Samples;
import io.linkprobe.common.wire.AgentHealth;
import io.linkprobe.common.wire.Json;
import io.linkprobe.common.wire.PushAck;
import io.linkprobe.common.wire.ThroughputResult;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A push reaches /metrics as DESIGN.md's meters, against a real collector on port 0. */
class PushToMetricsTest {
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
    void latencyWindowBecomesExactHistogramAndPerDirectionLoss() throws Exception {
        long end = c.clock.millis() - 7_000;
        // 0.4 ms, 0.9 ms, 1.5 ms, 12 ms, 12 ms, 250 ms: buckets le 0.0005 → 1, 0.001 → 2, 0.002 → 3,
        // 0.015 → 5, 0.3 → 6.
        int[] rtts = {400, 900, 1_500, 12_000, 12_000, 250_000};
        HttpResponse<String> r = c.push(TOKEN, Samples.batch("t", 1, Samples.window("hub", end, rtts, 3, 2)));

        assertEquals(200, r.statusCode(), r.body());
        PushAck ack = Json.mapper().readValue(r.body(), PushAck.class);
        assertEquals(new PushAck(1, false), ack);

        String m = c.metrics();
        assertEquals(6, require(m, "linkprobe_rtt_seconds_count", "site=\"t\"", "target=\"hub\""));
        assertEquals(1, require(m, "linkprobe_rtt_seconds_bucket", "site=\"t\"", "le=\"5.0E-4\""));
        assertEquals(2, require(m, "linkprobe_rtt_seconds_bucket", "site=\"t\"", "le=\"0.001\""));
        assertEquals(3, require(m, "linkprobe_rtt_seconds_bucket", "site=\"t\"", "le=\"0.002\""));
        assertEquals(3, require(m, "linkprobe_rtt_seconds_bucket", "site=\"t\"", "le=\"0.01\""));
        assertEquals(5, require(m, "linkprobe_rtt_seconds_bucket", "site=\"t\"", "le=\"0.015\""));
        assertEquals(5, require(m, "linkprobe_rtt_seconds_bucket", "site=\"t\"", "le=\"0.2\""));
        assertEquals(6, require(m, "linkprobe_rtt_seconds_bucket", "site=\"t\"", "le=\"0.3\""));
        assertEquals(0.2768, require(m, "linkprobe_rtt_seconds_sum", "site=\"t\""), 1e-9);
        assertEquals(3, require(m, "linkprobe_packets_lost_total", "site=\"t\"", "direction=\"up\""));
        assertEquals(2, require(m, "linkprobe_packets_lost_total", "site=\"t\"", "direction=\"down\""));
        assertEquals(11, require(m, "linkprobe_packets_sent_total", "site=\"t\"", "target=\"hub\""));
        assertEquals(1, require(m, "linkprobe_packets_reordered_total", "site=\"t\""));
        assertEquals(0.00025, require(m, "linkprobe_jitter_seconds", "site=\"t\"", "target=\"hub\""), 1e-12);
        assertEquals(0.0004, require(m, "linkprobe_rtt_min_seconds", "site=\"t\"", "target=\"hub\""), 1e-12);
        assertEquals(1, require(m, "linkprobe_site_info", "site=\"t\"", "region=\"yorkshire\"", "link=\"fttp\"",
                "agent_version=\"0.1.0\""));
        assertEquals(c.clock.millis() / 1000.0, require(m, "linkprobe_agent_last_push_timestamp_seconds",
                "site=\"t\""), 0.001);
        assertEquals(12_500_000, require(m, "linkprobe_expected_throughput_bytes_per_second",
                "site=\"t\"", "direction=\"down\""));
        assertEquals(1, unlabelled(m, "linkprobe_collector_ingested_total"));
        // Measured 7 s before ingest.
        assertEquals(0, require(m, "linkprobe_sample_delay_seconds_bucket", "le=\"5.0\""));
        assertEquals(1, require(m, "linkprobe_sample_delay_seconds_bucket", "le=\"15.0\""));
    }

    @Test
    void throughputConnectAndHealthFeedTheirMeters() throws Exception {
        long end = c.clock.millis() - 1_000;
        assertEquals(200, c.push(TOKEN, Samples.batch("t", 1,
                Samples.throughput("hub", end, "down", 11_000_000),
                Samples.throughput("hub", end, "up", 2_000_000),
                Samples.connect("web", end, 12_500),
                Samples.health(end, 7))).statusCode());
        assertEquals(200, c.push(TOKEN, Samples.batch("t", 2, Samples.health(end + 60_000, 10))).statusCode());

        String m = c.metrics();
        assertEquals(11_000_000, require(m, "linkprobe_throughput_bytes_per_second", "direction=\"down\""));
        assertEquals(0.049, require(m, "linkprobe_loaded_rtt_seconds", "direction=\"up\""), 1e-12);
        assertEquals(0.04, require(m, "linkprobe_bufferbloat_seconds", "direction=\"down\""), 1e-12);
        assertEquals(1, require(m, "linkprobe_throughput_tests_total", "direction=\"down\"", "result=\"ok\""));
        assertEquals(79_200_000, require(m, "linkprobe_probe_bytes_total", "direction=\"down\""), "8 s at the 90 % mean");
        assertEquals(12, require(m, "linkprobe_tcp_retransmits_total", "direction=\"up\""));
        assertEquals(1, require(m, "linkprobe_tcp_connect_seconds_bucket", "target=\"web\"", "le=\"0.02\""));
        assertEquals(0, require(m, "linkprobe_tcp_connect_seconds_bucket", "target=\"web\"", "le=\"0.01\""));
        // First total is the baseline, the next push adds its difference.
        assertEquals(3, require(m, "linkprobe_agent_spool_dropped_total", "site=\"t\""));
    }

    /**
     * An agent whose spool was found corrupt reports one more recovery; an agent that dropped an
     * implausible result before spooling reports that too. Running totals, counted by their rise.
     */
    @Test
    void spoolRecoveriesAndImplausibleDropsReportedInHealthAreCounted() throws Exception {
        long end = c.clock.millis() - 5_000;
        assertEquals(200, c.push(TOKEN, Samples.batch("t", 1,
                new AgentHealth(end, 60, 0, 0, 0, 0, 0L, null, 0L, null))).statusCode());
        assertEquals(200, c.push(TOKEN, Samples.batch("t", 2,
                new AgentHealth(end + 1_000, 5, 0, 0, 0, 0, 1L, end + 500, 2L, null))).statusCode());
        assertEquals(200, c.push(TOKEN, Samples.batch("t", 3,
                new AgentHealth(end + 2_000, 10, 0, 0, 0, 0, 1L, end + 500, 2L, null))).statusCode());

        String m = c.metrics();
        assertEquals(1, require(m, "linkprobe_agent_spool_recovered_total", "site=\"t\""));
        assertEquals(2, require(m, "linkprobe_agent_implausible_dropped_total", "site=\"t\""));
    }

    /**
     * The first running total a collector sees is its baseline (after a restart it cannot know what
     * was counted before), except a recovery the agent says happened after the site's previous
     * push, restored from the archive: that one is new, and counted.
     */
    @Test
    void aRecoveryAfterTheSitesPreviousPushCountsEvenAsTheFirstTotalSeen() throws Exception {
        long t0 = c.clock.millis();
        assertEquals(200, c.push(TOKEN, Samples.batch("t", 1, Samples.health(t0 - 1_000, 0))).statusCode());
        c.clock.advance(java.time.Duration.ofMinutes(1));
        long t1 = c.clock.millis();
        // Before the previous push: an old recovery, already reported to someone; a baseline.
        assertEquals(200, c.push(TOKEN, Samples.batch("t", 2,
                new AgentHealth(t1 - 1_000, 60, 0, 0, 0, 0, 3L, t0 - 30_000, 0L, null))).statusCode());
        assertEquals(0, require(c.metrics(), "linkprobe_agent_spool_recovered_total", "site=\"t\""));

        c.close();
        c = TestCollector.start(dir, Map.of("t", TOKEN), c.clock, x -> x); // a restart: totals forgotten
        c.clock.advance(java.time.Duration.ofMinutes(1));
        long t2 = c.clock.millis();
        // The restarted agent's first batch may hold its first window without the window's health
        // (filed a moment later): that push must not hide the recovery the health then reports.
        assertEquals(200, c.push(TOKEN, Samples.batch("t", 3,
                Samples.window("hub", t2 - 1_500, new int[] {1_000}, 0, 0))).statusCode());
        assertEquals(200, c.push(TOKEN, Samples.batch("t", 4,
                new AgentHealth(t2 - 1_000, 10, 0, 0, 0, 0, 4L, t2 - 20_000, 0L, null))).statusCode());
        assertEquals(1, require(c.metrics(), "linkprobe_agent_spool_recovered_total", "site=\"t\""),
                "recovered after the site's last push before the restart");
    }

    /** Loaded minus idle median: on a link that does not bloat, noise makes it slightly negative. */
    @Test
    void slightlyNegativeBufferbloatIsAMeasurementNotAMalformedPush() throws Exception {
        long end = c.clock.millis() - 1_000;
        ThroughputResult quiet = new ThroughputResult("hub", end - 10_000, end, "down", "ok", null, 1, 1_000_000, 1.0,
                1e6, 1e6, true, 100, java.util.List.of(), null,
                new ThroughputResult.LoadedLatency(400, 310, 500, -90, 193_548, "A", 20, 20));
        var response = c.push(TOKEN, Samples.batch("t", 1, quiet));
        assertEquals(200, response.statusCode(), response.body());
    }

    @Test
    void replayedBatchIsAckedAsDuplicateAndNotCountedTwice() throws Exception {
        String body = Samples.json(Samples.batch("t", 7, Samples.window("hub", c.clock.millis(), new int[] {1_000}, 1, 0)));
        assertEquals(new PushAck(7, false), Json.mapper().readValue(c.push(TOKEN, body).body(), PushAck.class));
        HttpResponse<String> replay = c.push(TOKEN, body);

        assertEquals(200, replay.statusCode());
        assertEquals(new PushAck(7, true), Json.mapper().readValue(replay.body(), PushAck.class));
        String m = c.metrics();
        assertEquals(1, require(m, "linkprobe_rtt_seconds_count", "site=\"t\""));
        assertEquals(2, require(m, "linkprobe_packets_sent_total", "site=\"t\""));
        assertEquals(1, unlabelled(m, "linkprobe_collector_duplicates_total"));
        assertEquals(1, unlabelled(m, "linkprobe_collector_ingested_total"));
        assertEquals(1, c.collector.archive().history("t", 0, Long.MAX_VALUE, 10).size());
    }

    @Test
    void metricsAnswerInTheFormatTheScraperAccepts() throws Exception {
        c.push(TOKEN, Samples.batch("t", 1, Samples.window("hub", c.clock.millis(), new int[] {1_000}, 0, 0)));

        HttpResponse<String> text = c.get("/metrics");
        HttpResponse<String> om = c.get("/metrics",
                "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
        HttpResponse<String> proto = c.get("/metrics",
                "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited");

        assertTrue(text.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        assertTrue(om.headers().firstValue("Content-Type").orElse("").startsWith("application/openmetrics-text"));
        assertTrue(om.body().endsWith("# EOF\n"), "OpenMetrics ends with # EOF");
        assertTrue(om.body().contains("linkprobe_packets_sent_total{site=\"t\",target=\"hub\"} 1.0"), om.body());
        assertTrue(proto.headers().firstValue("Content-Type").orElse("").startsWith("application/vnd.google.protobuf"));
        assertFalse(proto.body().contains("# TYPE"));
    }

    @Test
    void sitesApiListsLatestFiguresAndHistory() throws Exception {
        long end = c.clock.millis() - 2_000;
        c.push(TOKEN, Samples.batch("t", 1, Samples.window("hub", end - 60_000, new int[] {5_000}, 0, 0)));
        c.push(TOKEN, Samples.batch("t", 2, Samples.window("hub", end, new int[] {7_000, 9_000}, 0, 0)));

        var sites = Json.mapper().readTree(c.get("/api/v1/sites").body()).get("sites");
        assertEquals(1, sites.size());
        var site = sites.get(0);
        assertEquals("t", site.get("site").asText());
        assertEquals("ok", site.get("health").asText());
        assertEquals(c.clock.millis(), site.get("last_seen_epoch_millis").asLong());
        assertEquals(end, site.get("latency").get(0).get("end_epoch_millis").asLong());
        assertEquals(0.009, site.get("latency").get(0).get("rtt_p50_seconds").asDouble(), 1e-12);

        var history = Json.mapper().readTree(c.get("/api/v1/sites/t?from=" + (end - 1_000) / 1000).body());
        assertEquals(1, history.get("samples").size(), "only the window ending after 'from'");
        assertEquals("latency", history.get("samples").get(0).get("type").asText());
        assertEquals(2, history.get("samples").get(0).get("rtt_micros").size());
        assertEquals(2, Json.mapper().readTree(c.get("/api/v1/sites/t").body()).get("samples").size());
        assertEquals(404, c.get("/api/v1/sites/nobody").statusCode());
        assertEquals(400, c.get("/api/v1/sites/t?from=yesterday").statusCode());
    }

    @Test
    void probesAndStatusPageAnswer() throws Exception {
        assertEquals(200, c.get("/-/healthy").statusCode());
        assertEquals(200, c.get("/-/ready").statusCode());
        HttpResponse<String> page = c.get("/");
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<a href=\"/metrics\">"));
        assertEquals(404, c.get("/nothing").statusCode());
        assertEquals(405, c.get("/api/v1/samples").statusCode());
    }
}
