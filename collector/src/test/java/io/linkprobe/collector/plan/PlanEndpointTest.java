package io.linkprobe.collector.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.collector.MutableClock;
import io.linkprobe.collector.TestCollector;
import io.linkprobe.collector.config.CollectorConfig;
import io.linkprobe.collector.responder.ResponderPart;
import io.linkprobe.common.wire.Json;
import io.linkprobe.common.wire.Plan;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /api/v1/plan} of a real collector: a site's own plan, versioned, with ETag/304. */
class PlanEndpointTest {
    @TempDir
    Path dir;

    static HttpResponse<String> plan(TestCollector c, String token, String ifNoneMatch) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(c.uri("/api/v1/plan")).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (ifNoneMatch != null) {
            b.header("If-None-Match", ifNoneMatch);
        }
        return c.send(b.build());
    }

    static Plan read(HttpResponse<String> r) throws Exception {
        assertEquals(200, r.statusCode(), r.body());
        return Json.mapper().readValue(r.body(), Plan.class);
    }

    @Test
    void withoutAFleetFileEverySiteMeasuresTowardsTheEmbeddedResponderAtTheHostItReachedTheCollectorAt() throws Exception {
        try (TestCollector c = TestCollector.start(dir, Map.of("site-a", "token-a"), MutableClock.now(),
                cfg -> cfg.withResponder(new CollectorConfig.Responder(true, 0, 0, 1, null, null)))) {
            int stamp = c.collector.responder().port(ResponderPart.STAMP).orElseThrow();
            int throughput = c.collector.responder().port(ResponderPart.THROUGHPUT).orElseThrow();

            Plan p = read(plan(c, "token-a", null));

            assertEquals("site-a", p.site());
            assertEquals(1, p.targets().size());
            Plan.Target t = p.targets().get(0);
            assertEquals(new Plan.Target("collector", "127.0.0.1", stamp, 0, 0), t);
            assertTrue(p.throughput().enabled());
            assertEquals(new Plan.Responder("collector", "127.0.0.1", stamp, throughput), p.throughput().responder());
            assertEquals(4 * 3_600_000L, p.throughput().everyMillis());
            assertEquals(0, p.throughput().offsetMillis() % 5_000, "on the slot grid");
            assertEquals(60_000, p.windowMillis());
            assertEquals(new Plan.Latency(200, "poisson", 44, 3_000), p.latency());
            assertTrue(p.labels().isEmpty() && p.expected().equals(Plan.Expected.NONE), "the agent's own stand");
        }
    }

    @Test
    void theEtagIsThePlanVersionAndAnUnchangedPlanAnswers304() throws Exception {
        try (TestCollector c = TestCollector.start(dir, Map.of("site-a", "token-a"), MutableClock.now(),
                cfg -> cfg.withResponder(new CollectorConfig.Responder(true, 0, 0, 1, null, null, "hub.example.net")))) {
            HttpResponse<String> first = plan(c, "token-a", null);
            Plan p = read(first);
            String etag = first.headers().firstValue("ETag").orElseThrow();
            assertEquals("\"" + p.version() + "\"", etag);
            assertEquals("hub.example.net", p.throughput().responder().host(), "responder.advertise_host wins");

            HttpResponse<String> again = plan(c, "token-a", etag);
            assertEquals(304, again.statusCode());
            assertEquals("", again.body());
            assertEquals(etag, again.headers().firstValue("ETag").orElseThrow());
            assertFalse(again.headers().firstValue("Content-Length").isPresent());

            assertEquals(304, plan(c, "token-a", "\"other\", " + etag).statusCode(), "one of a list");
            assertEquals(200, plan(c, "token-a", "\"other\"").statusCode());
            assertEquals(first.body(), plan(c, "token-a", "\"other\"").body(), "the same bytes each time");
        }
    }

    @Test
    void aTokenOnlyEverGetsItsOwnSitesPlan() throws Exception {
        Path fleet = Files.writeString(dir.resolve("fleet.yml"), """
                defaults: {targets: [{name: hub, host: hub.example.net}]}
                sites:
                  site-a: {throughput: {every: 8h}}
                  site-b: {throughput: {every: 12h}}
                """);
        try (TestCollector c = TestCollector.start(dir, Map.of("site-a", "token-a", "site-b", "token-b"),
                MutableClock.now(), cfg -> cfg.withResponder(new CollectorConfig.Responder(true, 0, 0, 1, null, null))
                        .withFleetFile(fleet))) {
            Plan a = read(plan(c, "token-a", null));
            Plan b = read(plan(c, "token-b", null));
            assertEquals("site-a", a.site());
            assertEquals(8 * 3_600_000L, a.throughput().everyMillis());
            assertEquals("site-b", b.site());
            assertEquals(12 * 3_600_000L, b.throughput().everyMillis());

            HttpResponse<String> asking = c.send(HttpRequest.newBuilder(c.uri("/api/v1/plan?site=site-b"))
                    .header("Authorization", "Bearer token-a").GET().build());
            assertEquals("site-a", read(asking).site(), "a query cannot choose another site");
            assertEquals(304, plan(c, "token-a", "\"" + a.version() + "\"").statusCode());
            assertEquals(200, plan(c, "token-b", "\"" + a.version() + "\"").statusCode(), "A's version is not B's");

            HttpResponse<String> none = plan(c, null, null);
            assertEquals(401, none.statusCode());
            assertTrue(none.headers().firstValue("WWW-Authenticate").isPresent());
            assertEquals(401, plan(c, "token-c", null).statusCode());
        }
    }

    @Test
    void theFleetFilesVideoSectionGivesEachSiteItsOwnVideoSlotOrTurnsItOff() throws Exception {
        Path fleet = Files.writeString(dir.resolve("fleet.yml"), """
                defaults:
                  targets: [{name: hub, host: hub.example.net}]
                  video: {every: 6h, rate_kbps: 1500, packet_size: 1000, duration: 10s, max_calls: 4, dscp: AF41}
                groups:
                  - {name: metered, match: {link: 4g}, video: {enabled: false}}
                sites:
                  site-a: {video: {max_calls: 2}}
                  site-b: {labels: {link: 4g}}
                """);
        try (TestCollector c = TestCollector.start(dir, Map.of("site-a", "token-a", "site-b", "token-b"),
                MutableClock.now(), cfg -> cfg.withResponder(new CollectorConfig.Responder(true, 0, 0, 1, null, null))
                        .withFleetFile(fleet))) {
            Plan a = read(plan(c, "token-a", null));
            Plan.Video v = a.video();
            assertTrue(v.enabled());
            assertEquals(6 * 3_600_000L, v.everyMillis());
            assertEquals(1500, v.rateKbps());
            assertEquals(1000, v.packetSize());
            assertEquals(10_000, v.durationMillis());
            assertEquals(2, v.maxCalls(), "the site's own key over the defaults'");
            assertEquals("AF41", v.dscp());
            assertTrue(v.responder().stampPort() > 0, "the embedded responder's reflector");
            // The ladder 1, 2: 10 s + 5 s step + 1 s pause + 2 × 2 s for late replies + 1 s set-up = 21 s → 25 s of grid.
            assertEquals(25_000, v.slotMillis());
            // One test at a time on the site's line: the video slot never overlaps the throughput slot
            // (one lane, so they could not overlap on the responder either).
            long t0 = a.throughput().offsetMillis();
            long t1 = t0 + 2 * (10_000 + 2_500);
            for (long start = v.offsetMillis(); start < 24 * 3_600_000L; start += v.everyMillis()) {
                for (long ts = t0; ts < 24 * 3_600_000L + t0; ts += a.throughput().everyMillis()) {
                    assertTrue(start + v.slotMillis() <= ts || ts + (t1 - t0) <= start,
                            "video at " + start + " overlaps throughput at " + ts);
                }
            }

            Plan b = read(plan(c, "token-b", null));
            assertFalse(b.video().enabled(), "the metered group turns video off");
            assertEquals(null, b.video().responder());
        }
    }

    @Test
    void aChangedFleetFileChangesThePlanAndItsVersionAfterAReload() throws Exception {
        Path fleet = Files.writeString(dir.resolve("fleet.yml"), """
                groups:
                  - {name: copper, match: {link: adsl}, throughput: {every: 8h, duration: 8s}}
                sites:
                  site-a: {labels: {link: fttp}}
                """);
        try (TestCollector c = TestCollector.start(dir, Map.of("site-a", "token-a"), MutableClock.now(),
                cfg -> cfg.withResponder(new CollectorConfig.Responder(true, 0, 0, 1, null, null)).withFleetFile(fleet))) {
            Plan before = read(plan(c, "token-a", null));
            assertEquals(4 * 3_600_000L, before.throughput().everyMillis());
            assertEquals(Map.of("link", "fttp"), before.labels());

            Files.writeString(fleet, Files.readString(fleet).replace("link: fttp", "link: adsl"));
            HttpResponse<String> reload = c.send(HttpRequest.newBuilder(c.uri("/-/reload"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build());
            assertEquals(200, reload.statusCode(), reload.body());

            HttpResponse<String> after = plan(c, "token-a", "\"" + before.version() + "\"");
            Plan p = read(after);
            assertNotEquals(before.version(), p.version());
            assertEquals(8 * 3_600_000L, p.throughput().everyMillis(), "now in the copper group");
            assertEquals(8_000, p.throughput().durationMillis());
        }
    }

    @Test
    void withTheEmbeddedResponderOffAndNoFleetFileThereIsNoPlanAndTheAnswerSaysWhy() throws Exception {
        try (TestCollector c = TestCollector.start(dir, Map.of("site-a", "token-a"))) {
            HttpResponse<String> r = plan(c, "token-a", null);
            assertEquals(404, r.statusCode());
            assertEquals("no plan for site 'site-a': this collector has no fleet_file and its embedded responder is off; "
                    + "the agent measures the targets of its own agent.yml\n", r.body());
        }
    }
}
