package io.linkprobe.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.agent.config.AgentConfig;
import io.linkprobe.agent.config.TargetConfig;
import io.linkprobe.agent.config.ThroughputSettings;
import io.linkprobe.agent.probe.ThroughputProber;
import io.linkprobe.collector.MutableClock;
import io.linkprobe.collector.TestCollector;
import io.linkprobe.collector.config.CollectorConfig;
import io.linkprobe.collector.responder.ResponderPart;
import io.linkprobe.common.net.Transports;
import io.linkprobe.common.wire.AgentIdentity;
import io.linkprobe.common.wire.PushBatch;
import io.linkprobe.common.wire.Sample;
import io.linkprobe.common.wire.ThroughputResult;
import io.netty.channel.EventLoopGroup;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's scheduled throughput probe against a collector's embedded responder, signed with
 * the site's token, and its results pushed back: the collector exposes the steady rate, loaded RTT
 * and bufferbloat per direction and counts the tests.
 */
class AgentThroughputToMetricsTest {

    @Test
    void scheduledThroughputProbeLandsInTheCollectorsMetrics(@TempDir Path dir) throws Exception {
        EventLoopGroup group = Transports.group(1, "agent-test");
        try (TestCollector c = TestCollector.start(dir, Map.of("site-t", "token-t"), MutableClock.now(),
                cfg -> cfg.withResponder(new CollectorConfig.Responder(true, 0, 0, 1, null, null)))) {
            int stamp = c.collector.responder().port(ResponderPart.STAMP).orElseThrow();
            int tput = c.collector.responder().port(ResponderPart.THROUGHPUT).orElseThrow();
            TargetConfig hub = new TargetConfig("hub", "127.0.0.1", stamp, tput, 0);
            AgentConfig config = new AgentConfig("site-t", null, dir.resolve("state"),
                    new AgentConfig.CollectorEndpoint(URI.create("http://127.0.0.1:" + c.collector.httpPort()), null, null, null,
                            null, null),
                    Map.of("region", "r1", "link", "fttp"), new AgentConfig.Expected(100.0, 20.0), null, null, null,
                    new ThroughputSettings(true, Duration.ofHours(4), Duration.ofSeconds(1), 1, "both", 16L << 30, 0L, null, null,
                            null, null, null, null, null, null),
                    null, null, List.of(hub));

            List<Sample> results = new ThroughputProber(group, config, () -> "token-t")
                    .probe(hub, Instant.now().plusSeconds(60)).toCompletableFuture().get(60, TimeUnit.SECONDS).samples();
            assertEquals(2, results.size());
            for (Sample s : results) {
                ThroughputResult r = (ThroughputResult) s;
                assertEquals("ok", r.result(), r.message());
                assertTrue(r.loaded() != null, "latency under load measured for " + r.direction());
            }

            AgentIdentity id = new AgentIdentity("site-t", "agent-1", "boot-1", "test", config.labels(),
                    new AgentIdentity.Contract(config.expected().downBytesPerSecond(), config.expected().upBytesPerSecond()));
            var pushed = c.push("token-t", new PushBatch(id, 1, results));
            assertEquals(200, pushed.statusCode(), pushed.body());

            String metrics = c.get("/metrics").body();
            for (String direction : new String[] {"down", "up"}) {
                String labels = "direction=\"" + direction + "\",site=\"site-t\",target=\"hub\"";
                assertTrue(value(metrics, "linkprobe_throughput_bytes_per_second{" + labels + "}") > 1e6, metrics);
                assertTrue(value(metrics, "linkprobe_loaded_rtt_seconds{" + labels + "}") > 0);
                assertTrue(metrics.contains("linkprobe_bufferbloat_seconds{" + labels + "}"));
                assertEquals(1.0, value(metrics,
                        "linkprobe_throughput_tests_total{direction=\"" + direction + "\",result=\"ok\",site=\"site-t\",target=\"hub\"}"));
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static double value(String exposition, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(exposition);
        assertTrue(m.find(), "no series " + series);
        return Double.parseDouble(m.group(1));
    }
}
