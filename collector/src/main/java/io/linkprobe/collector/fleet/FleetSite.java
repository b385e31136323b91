package io.linkprobe.collector.fleet;

import io.linkprobe.common.config.SettingRules;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code sites.<id>}: one site's own settings, applied last. {@code labels}, when given, are the
 * site's labels (group membership, and what its agent reports); without them the labels of the
 * site's latest push decide its groups. {@code upgrades} are its cut-overs ({@link FleetUpgrade}).
 */
public record FleetSite(
        Map<String, String> labels,
        ExpectedLayer expected,
        List<FleetTarget> targets,
        LatencyLayer latency,
        Duration window,
        ThroughputLayer throughput,
        VideoLayer video,
        List<FleetUpgrade> upgrades) {

    public static final FleetSite EMPTY = new FleetSite(null, null, null, null, null, null, null, null);

    public FleetSite {
        if (labels != null) {
            labels = Map.copyOf(labels);
            SettingRules.labels("labels", labels);
        }
        new Layer(targets, latency, window, throughput, expected, video); // checks the targets list
        upgrades = upgrades == null ? List.of() : List.copyOf(upgrades);
    }

    public Layer layer() {
        return new Layer(targets, latency, window, throughput, expected, video);
    }
}
