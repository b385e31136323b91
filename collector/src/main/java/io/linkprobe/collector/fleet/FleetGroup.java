package io.linkprobe.collector.fleet;

import io.linkprobe.common.config.InvalidValue;
import io.linkprobe.common.config.SettingRules;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code groups[]}: settings for every site whose labels include all of {@code match}, e.g.
 * {@code match: {link: copper}}. Groups apply in file order over the defaults; a later group wins
 * a key an earlier one set too.
 */
public record FleetGroup(
        String name,
        Map<String, String> match,
        List<FleetTarget> targets,
        LatencyLayer latency,
        Duration window,
        ThroughputLayer throughput,
        ExpectedLayer expected,
        VideoLayer video) {

    public FleetGroup {
        if (name == null || name.isBlank()) {
            throw new InvalidValue("", "each group needs a 'name' (it is shown in check-config's and the status page's messages)");
        }
        if (match == null || match.isEmpty()) {
            throw new InvalidValue("", "group '" + name + "' needs 'match', the labels a site must have "
                    + "to be in it, e.g. match: {link: copper}; settings for every site go under 'defaults'");
        }
        match = Map.copyOf(match);
        SettingRules.labels("match", match);
        new Layer(targets, latency, window, throughput, expected, video); // checks the targets list
    }

    public Layer layer() {
        return new Layer(targets, latency, window, throughput, expected, video);
    }

    /** Whether a site with {@code labels} is in this group: every label of {@code match} is equal. */
    public boolean matches(Map<String, String> labels) {
        for (Map.Entry<String, String> e : match.entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
