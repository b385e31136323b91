package io.linkprobe.collector.fleet;

import io.linkprobe.common.config.SettingRules;
import java.time.Duration;
import java.util.List;

/**
 * What one level of the fleet file (defaults, a group, a site) says about the sites it applies
 * to. A key left out is taken from the level below; {@code targets} replaces the list below as a
 * whole, the other blocks merge key by key.
 */
public record Layer(
        List<FleetTarget> targets,
        LatencyLayer latency,
        Duration window,
        ThroughputLayer throughput,
        ExpectedLayer expected,
        VideoLayer video) {

    public static final Layer EMPTY = new Layer(null, null, null, null, null, null);

    public Layer {
        targets = targets == null ? null : List.copyOf(targets);
        latency = latency == null ? LatencyLayer.EMPTY : latency;
        throughput = throughput == null ? ThroughputLayer.EMPTY : throughput;
        expected = expected == null ? ExpectedLayer.EMPTY : expected;
        video = video == null ? VideoLayer.EMPTY : video;
        if (window != null) {
            SettingRules.window(window);
        }
        if (targets != null) {
            SettingRules.targetNames(targets.stream().map(FleetTarget::name).toList());
        }
    }

    /** This layer's keys where given, else {@code lower}'s. */
    public Layer over(Layer lower) {
        return new Layer(
                targets != null ? targets : lower.targets,
                latency.over(lower.latency),
                window != null ? window : lower.window,
                throughput.over(lower.throughput),
                expected.over(lower.expected),
                video.over(lower.video));
    }
}
