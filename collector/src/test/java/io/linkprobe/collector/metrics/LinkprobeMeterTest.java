package io.linkprobe.collector.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every declared meter comes out of Micrometer under the Prometheus name DESIGN.md gives it. */
class LinkprobeMeterTest {

    @ParameterizedTest
    @EnumSource(LinkprobeMeter.class)
    void micrometerExposesTheDeclaredPrometheusName(LinkprobeMeter def) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        String[] tags = def.tagKeys().stream().map(k -> "v").toArray(String[]::new);
        switch (def.kind()) {
            case COUNTER -> Meters.counter(registry, def, tags).increment();
            case TIMER -> Meters.timer(registry, def, tags).record(java.time.Duration.ofMillis(3));
            case GAUGE -> {
                double[] state = {1};
                Meters.gauge(registry, def, state, s -> s[0], tags);
            }
        }
        String scrape = registry.scrape();
        String type = switch (def.kind()) {
            case COUNTER -> "counter";
            case TIMER -> "histogram";
            case GAUGE -> "gauge";
        };
        assertTrue(scrape.contains("# TYPE " + def.prometheusName() + " " + type + "\n"),
                def + " should be " + def.prometheusName() + " (" + type + "):\n" + scrape);
        registry.close();
    }

    @Test
    void timersHaveAscendingBucketsInSecondsAndNoNameEndsInTotalOrMillis() {
        for (LinkprobeMeter def : LinkprobeMeter.values()) {
            assertTrue(!def.meterName().endsWith(".total") && !def.meterName().contains("millis")
                    && !"milliseconds".equals(def.baseUnit()), def.toString());
            List<java.time.Duration> b = def.buckets();
            assertTrue(def.kind() == LinkprobeMeter.Kind.TIMER ? b.size() >= 8 : b.isEmpty(), def.toString());
            for (int i = 1; i < b.size(); i++) {
                assertTrue(b.get(i).compareTo(b.get(i - 1)) > 0, def + " buckets ascend");
            }
        }
        assertTrue(Arrays.asList(LinkprobeMeter.RTT.buckets().get(0), LinkprobeMeter.RTT.buckets().get(17))
                .equals(List.of(java.time.Duration.ofNanos(500_000), java.time.Duration.ofSeconds(4))),
                "RTT spans 0.5 ms … 4 s");
    }
}
