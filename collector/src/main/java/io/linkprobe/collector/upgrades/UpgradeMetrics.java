package io.linkprobe.collector.upgrades;

import io.linkprobe.collector.metrics.LinkprobeMeter;
import io.linkprobe.collector.metrics.Meters;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code linkprobe_upgrade_verdict{site}}: each upgraded site's verdict as a number (1 delivered,
 * 2 partly delivered, 3 not delivered, 0 insufficient data, -1 pending; {@link Verdict.Outcome#gaugeValue}),
 * for a Grafana panel and alerts. Refreshed by {@link #publish} (in a running collector 30 s after
 * start, then hourly); a site no longer upgraded loses its series.
 */
public final class UpgradeMetrics {
    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> values = new HashMap<>();
    private final Map<String, Gauge> gauges = new HashMap<>();

    public UpgradeMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public synchronized void publish(List<SiteUpgrade> upgrades) {
        Set<String> seen = new HashSet<>();
        for (SiteUpgrade u : upgrades) {
            seen.add(u.site());
            values.computeIfAbsent(u.site(), site -> {
                AtomicInteger value = new AtomicInteger();
                gauges.put(site, Meters.gauge(registry, LinkprobeMeter.UPGRADE_VERDICT, value, AtomicInteger::get, site));
                return value;
            }).set(u.verdict().outcome().gaugeValue());
        }
        for (String site : Set.copyOf(values.keySet())) {
            if (!seen.contains(site)) {
                values.remove(site);
                registry.remove(gauges.remove(site));
            }
        }
    }
}
