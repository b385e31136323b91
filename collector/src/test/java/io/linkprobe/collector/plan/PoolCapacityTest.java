package io.linkprobe.collector.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.collector.Exposition;
import io.linkprobe.common.testing.Samples;
import io.linkprobe.collector.TestCollector;
import io.linkprobe.collector.config.CollectorConfig;
import io.linkprobe.common.wire.ThroughputResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A running collector says when the fleet's tests exceed the pool: metric, status page, stretched plans. */
class PoolCapacityTest {
    @TempDir
    Path dir;

    @Test
    void demandBeyondThePoolIsShownAndEveryPeriodIsStretched() throws Exception {
        StringBuilder fleet = new StringBuilder("""
                responders: [{name: hub, host: hub.example.net, max_concurrent_tests: 1, max_mbps: 1000}]
                embedded_responder: {enabled: false}
                defaults: {targets: [{name: hub, host: hub.example.net}], video: {enabled: false}}
                sites:
                """);
        for (int i = 0; i < 1_000; i++) {
            fleet.append("  gp-").append(i).append(": {}\n");
        }
        Path file = Files.writeString(dir.resolve("fleet.yml"), fleet);
        try (TestCollector c = TestCollector.start(dir, Map.of("gp-1", "token-1"), io.linkprobe.collector.MutableClock.now(),
                cfg -> cfg.withResponder(CollectorConfig.Responder.DISABLED).withFleetFile(file))) {
            String metrics = c.metrics();
            double demand = Exposition.unlabelled(metrics, "linkprobe_collector_test_demand_ratio");
            double stretch = Exposition.unlabelled(metrics, "linkprobe_collector_test_stretch_ratio");
            assertEquals(1_000 * 25.0 / (4 * 3600), demand, 1e-9, "1,000 two-way tests of 25 s every 4 h on one lane");
            assertTrue(stretch >= demand, "stretch " + stretch);

            long every = PlanEndpointTest.read(PlanEndpointTest.plan(c, "token-1", null)).throughput().everyMillis();
            assertEquals(4 * 3_600_000L * stretch, every, 5_000, "the plan carries the stretched period");

            String page = c.get("/").body();
            assertTrue(page.contains("Scheduled tests (throughput, video): 1000 of 1000 placed for 1000 sites on 1 responder, test demand 1.74 of the pool"),
                    page);
            assertTrue(page.contains("more than the pool can run, so every period is stretched x"), page);
            assertTrue(page.contains("0 busy answers from responders since the collector started"), page);

            ThroughputResult ok = Samples.throughput("hub", c.clock.millis(), "down", 1e6);
            ThroughputResult busy = new ThroughputResult("hub", ok.startEpochMillis(), ok.endEpochMillis(), "down",
                    "busy", "responder busy", 1, 0, 0, 0, 0, false, 100, List.of(), null, null);
            assertEquals(200, c.push("token-1", Samples.batch("gp-1", 1, ok, busy)).statusCode());
            assertTrue(c.get("/").body().contains(" 1 busy answer from responders since the collector started"));
        }
    }
}
