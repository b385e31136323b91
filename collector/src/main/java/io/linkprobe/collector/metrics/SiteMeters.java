package io.linkprobe.collector.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every meter of one site, so that the site's series can be removed together when it falls
 * silent. Two sets: measurement series (expire after the series TTL) and presence series
 * ({@code linkprobe_agent_last_push_timestamp_seconds}, {@code linkprobe_site_info}), which stay
 * so that "silent since" alerts keep firing and dashboards can still name the site.
 *
 * <p>Not thread-safe: the collector's site registry holds the site's lock around every use.
 */
public final class SiteMeters {
    private record Key(LinkprobeMeter meter, List<String> tags) {}

    private final String site;
    private final MeterRegistry registry;
    private final Map<Key, Meter> series = new HashMap<>();
    /** Strong references to gauge state (Micrometer keeps it weakly). */
    private final Map<Key, GaugeValue> gaugeValues = new HashMap<>();
    private final GaugeValue lastPushSeconds = new GaugeValue();
    private Gauge lastPush;
    private Gauge info;
    private List<String> infoTags = List.of();
    private Gauge build;
    private List<String> buildTags = List.of();
    /** The last running total each agent reported, per counter it reports one for. */
    private final Map<AgentTotal, Long> lastTotals = new HashMap<>();

    private record AgentTotal(LinkprobeMeter meter, String agentId) {}

    SiteMeters(String site, MeterRegistry registry) {
        this.site = site;
        this.registry = registry;
    }

    Counter counter(LinkprobeMeter def, String... tags) {
        return (Counter) series.computeIfAbsent(key(def, tags), k -> Meters.counter(registry, def, withSite(tags)));
    }

    Timer timer(LinkprobeMeter def, String... tags) {
        return (Timer) series.computeIfAbsent(key(def, tags), k -> Meters.timer(registry, def, withSite(tags)));
    }

    /** Sets a "latest" gauge unless a fresher measurement already set it. */
    void gauge(LinkprobeMeter def, double value, long measuredAtMillis, String... tags) {
        Key key = key(def, tags);
        GaugeValue holder = gaugeValues.computeIfAbsent(key, k -> new GaugeValue());
        series.computeIfAbsent(key, k -> Meters.gauge(registry, def, holder, GaugeValue::get, withSite(tags)));
        holder.offer(value, measuredAtMillis);
    }

    /** Records a push: last-push time and the info series (replaced when the agent's labels change). */
    void presence(long pushMillis, String region, String link, String agentVersion) {
        lastPushSeconds.offer(pushMillis / 1000.0, pushMillis);
        if (lastPush == null) {
            lastPush = Meters.gauge(registry, LinkprobeMeter.AGENT_LAST_PUSH, lastPushSeconds, GaugeValue::get, site);
        }
        List<String> tags = List.of(site, region, link, agentVersion);
        if (!tags.equals(infoTags)) {
            if (info != null) {
                registry.remove(info);
            }
            info = Meters.gauge(registry, LinkprobeMeter.SITE_INFO, this, m -> 1.0, tags.toArray(String[]::new));
            infoTags = tags;
        }
    }

    /** The agent's build ({@code linkprobe_agent_build_info}), a presence series like the site info. */
    void build(String version, String revision, String javaVersion) {
        List<String> tags = List.of(site, version, revision, javaVersion);
        if (!tags.equals(buildTags)) {
            if (build != null) {
                registry.remove(build);
            }
            build = Meters.gauge(registry, LinkprobeMeter.AGENT_BUILD_INFO, this, m -> 1.0, tags.toArray(String[]::new));
            buildTags = tags;
        }
    }

    /**
     * Turns a running total an agent reports (results dropped from its spool, spool recoveries)
     * into an increment of {@code meter}. The first total seen (new agent, or after a collector
     * restart) is the baseline, as Prometheus treats a counter's first sample, unless the agent
     * says the latest event happened since the site's previous push: then it counts one. A total
     * lower than the last means the agent's spool was recreated, and then the whole new total is new.
     */
    long agentTotalIncrement(LinkprobeMeter meter, String agentId, long total, boolean newSincePreviousPush) {
        Long previous = lastTotals.put(new AgentTotal(meter, agentId), total);
        if (previous == null) {
            return newSincePreviousPush ? Math.min(1, total) : 0;
        }
        return total < previous ? total : total - previous;
    }

    public boolean hasSeries() {
        return !series.isEmpty();
    }

    /** Removes the measurement series (the site fell silent); presence stays. */
    public void removeSeries() {
        for (Meter meter : series.values()) {
            registry.remove(meter);
        }
        series.clear();
        gaugeValues.clear();
    }

    /** Removes everything, presence too: the site is forgotten. */
    public void removeAll() {
        removeSeries();
        List<Meter> presence = new ArrayList<>();
        if (lastPush != null) {
            presence.add(lastPush);
        }
        if (info != null) {
            presence.add(info);
        }
        if (build != null) {
            presence.add(build);
        }
        presence.forEach(registry::remove);
        lastPush = null;
        info = null;
        infoTags = List.of();
        build = null;
        buildTags = List.of();
    }

    private Key key(LinkprobeMeter def, String[] tags) {
        return new Key(def, List.of(tags));
    }

    private String[] withSite(String[] tags) {
        String[] all = new String[tags.length + 1];
        all[0] = site;
        System.arraycopy(tags, 0, all, 1, tags.length);
        return all;
    }
}
