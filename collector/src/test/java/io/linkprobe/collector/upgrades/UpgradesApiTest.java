package io.linkprobe.collector.upgrades;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.linkprobe.collector.TestCollector;
import io.linkprobe.common.testing.Samples;
import io.linkprobe.common.wire.AgentIdentity;
import io.linkprobe.common.wire.Json;
import io.linkprobe.common.wire.PushBatch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real collector: a site whose pushed {@code link} label changes gets a cut-over at its first
 * result with the new label; one recorded by hand over the API shows up in JSON and CSV; and the
 * verdict gauge carries every upgraded site.
 */
class UpgradesApiTest {

    @Test
    void labelChangeAndManualCutOverAreListedAsJsonAndCsv(@TempDir Path dir) throws Exception {
        try (TestCollector c = TestCollector.start(dir, Map.of("gp1", "token-1"))) {
            long now = c.clock.millis();
            assertEquals(200, c.push("token-1", batch("copper", 1, now - 120_000)).statusCode());
            assertEquals(200, c.push("token-1", batch("fibre", 2, now - 60_000)).statusCode());

            JsonNode gp1 = null;
            for (int i = 0; i < 100 && gp1 == null; i++) { // recorded off the ingest thread: look until it is there
                for (JsonNode u : Json.mapper().readTree(c.get("/api/v1/upgrades").body()).get("upgrades")) {
                    if ("gp1".equals(u.get("site").asText())) {
                        gp1 = u;
                    }
                }
                if (gp1 == null) {
                    Thread.sleep(100);
                }
            }
            assertTrue(gp1 != null, "the label change became a cut-over");
            assertEquals("label", gp1.get("source").asText());
            assertEquals("fibre", gp1.get("link").asText());
            assertEquals(java.time.Instant.ofEpochMilli(now - 60_000).toString(), gp1.get("cut_over").asText());
            assertEquals(80.0, gp1.get("contract_down_mbps").asDouble(), 1e-9);
            assertEquals("pending", gp1.get("verdict").asText(), "the after window has not even started");

            HttpResponse<String> posted = c.send(HttpRequest.newBuilder(c.uri("/api/v1/sites/gp2/upgrade"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"at\": \"2026-03-01T00:00:00Z\", \"link\": \"fttp\","
                            + " \"down_mbps\": 330, \"up_mbps\": 50}")).build());
            assertEquals(201, posted.statusCode(), posted.body());
            HttpResponse<String> bad = c.send(HttpRequest.newBuilder(c.uri("/api/v1/sites/gp2/upgrade"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"link\": \"fttp\"}")).build());
            assertEquals(400, bad.statusCode());
            assertTrue(bad.body().contains("'at'"), bad.body());

            String csv = c.get("/api/v1/upgrades", "text/csv").body();
            List<String> lines = csv.lines().toList();
            assertEquals(3, lines.size(), csv);
            assertTrue(lines.get(0).startsWith("site,region,link,cut_over,"), lines.get(0));
            HttpResponse<String> page = c.get("/upgrades");
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("<a href=\"/sites/gp2\">gp2</a>"), "links to the site page");
            assertTrue(page.body().contains("<td class=\"name\">fttp</td><td class=\"num\">1</td><td class=\"num\">0</td>"),
                    "counts per region and link type: gp2 is 1 upgraded, 0 delivered");
            assertTrue(page.body().contains("<svg class=\"plot\""), "before/after plot");
            assertTrue(lines.get(2).startsWith("gp2,,fttp,2026-03-01T00:00:00Z,330,50,insufficient_data,0,"), lines.get(2));
        }
    }

    @Test
    void theFleetFilesUpgradesAreRecordedAsCutOvers(@TempDir Path dir) throws Exception {
        Path fleet = java.nio.file.Files.writeString(dir.resolve("fleet.yml"), """
                responders: [{name: hub, host: hub.example.net, max_concurrent_tests: 1, max_mbps: 1000}]
                embedded_responder: {enabled: false}
                defaults: {targets: [{name: hub, host: hub.example.net}]}
                sites:
                  gp3:
                    labels: {region: north, link: fttp}
                    upgrades: [{at: 2026-02-01, link: fttp, down_mbps: 80, up_mbps: 20}]
                """);
        try (TestCollector c = TestCollector.start(dir, Map.of("gp3", "token-3"), io.linkprobe.collector.MutableClock.now(),
                cfg -> cfg.withResponder(io.linkprobe.collector.config.CollectorConfig.Responder.DISABLED)
                        .withFleetFile(fleet))) {
            JsonNode gp3 = null;
            for (int i = 0; i < 100 && gp3 == null; i++) { // written off the start thread: look until it is there
                for (JsonNode u : Json.mapper().readTree(c.get("/api/v1/upgrades").body()).get("upgrades")) {
                    gp3 = u;
                }
                if (gp3 == null) {
                    Thread.sleep(100);
                }
            }
            assertTrue(gp3 != null, "the fleet file's upgrade became a cut-over");
            assertEquals("gp3", gp3.get("site").asText());
            assertEquals("fleet", gp3.get("source").asText());
            assertEquals("2026-02-01T00:00:00Z", gp3.get("cut_over").asText());
            assertEquals(20.0, gp3.get("contract_up_mbps").asDouble(), 1e-9);
        }
    }

    @Test
    void anUpgradeWithoutItsDateOrRatesIsRefusedWithTheFix() {
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new io.linkprobe.collector.fleet.FleetUpgrade("1 March", "fttp", 80.0, 20.0));
        assertTrue(e.getMessage().contains("2026-03-01"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new io.linkprobe.collector.fleet.FleetUpgrade("2026-03-01", "fttp", 80.0, null));
        assertTrue(e.getMessage().contains("up_mbps"), e.getMessage());
        assertEquals(java.time.Instant.parse("2026-03-01T06:00:00Z").toEpochMilli(),
                new io.linkprobe.collector.fleet.FleetUpgrade("2026-03-01T07:00:00+01:00", null, 80.0, 20.0).atMillis());
    }

    @Test
    void theVerdictGaugeHasOneSeriesPerUpgradedSite() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        UpgradeMetrics metrics = new UpgradeMetrics(registry);
        metrics.publish(List.of(site("a", Verdict.Outcome.DELIVERED), site("b", Verdict.Outcome.NOT_DELIVERED)));
        assertEquals(1, registry.get("linkprobe.upgrade.verdict").tag("site", "a").gauge().value());
        assertEquals(3, registry.get("linkprobe.upgrade.verdict").tag("site", "b").gauge().value());
        metrics.publish(List.of(site("a", Verdict.Outcome.PARTLY_DELIVERED)));
        assertEquals(2, registry.get("linkprobe.upgrade.verdict").tag("site", "a").gauge().value());
        assertEquals(1, registry.find("linkprobe.upgrade.verdict").gauges().size(), "b no longer upgraded");
    }

    private static SiteUpgrade site(String name, Verdict.Outcome outcome) {
        return new SiteUpgrade(name, null, new CutOver(name, 0, "fttp", 80, 20, CutOver.Source.MANUAL), 0, 0, 0,
                Figures.NONE, Figures.NONE, new Verdict(outcome, List.of()));
    }

    private static PushBatch batch(String link, long sequence, long end) {
        AgentIdentity agent = new AgentIdentity("gp1", "gp1-agent", "boot", "1.0", Map.of("link", link),
                new AgentIdentity.Contract(1e7, 2.5e6));
        return new PushBatch(agent, sequence, List.of(Samples.window("hub", end, new int[] {2_000, 3_000}, 0, 0)));
    }
}
