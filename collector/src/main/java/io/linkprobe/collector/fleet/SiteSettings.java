package io.linkprobe.collector.fleet;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One site's settings after the fleet file's levels are merged and agent.yml's defaults filled in.
 *
 * @param labels the site's labels as the fleet file gives them; empty when it gives none (the
 *     agent's own labels stand, and the labels of its pushes chose its groups)
 * @param groups the groups the site is in, in file order
 * @param expected the contracted rates the fleet file gives, where it gives them
 * @param targets null when no level lists targets: the site then measures latency towards its
 *     throughput responder
 */
public record SiteSettings(
        String site,
        Map<String, String> labels,
        List<String> groups,
        ExpectedLayer expected,
        List<FleetTarget> targets,
        Duration window,
        LatencyLayer latency,
        ThroughputLayer throughput,
        VideoLayer video) {}
