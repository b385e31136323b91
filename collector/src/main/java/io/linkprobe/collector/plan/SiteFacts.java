package io.linkprobe.collector.plan;

import java.util.Map;
import java.util.Optional;

/**
 * What the collector knows of a site from its own pushes: the labels and contracted rates its
 * agent declared. The fleet file's values come first; these choose a site's groups and its
 * scheduled rate where the fleet file is silent. Implemented over the collector's site registry.
 */
@FunctionalInterface
public interface SiteFacts {
    SiteFacts NONE = site -> Optional.empty();

    Optional<Reported> reported(String site);

    /** @param downMbps 0 when not declared */
    record Reported(Map<String, String> labels, double downMbps, double upMbps) {
        public Reported {
            labels = labels == null ? Map.of() : Map.copyOf(labels);
        }
    }
}
