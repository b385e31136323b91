package io.linkprobe.common.wire;

import java.util.Map;

/**
 * Who is pushing: the site (bound to the bearer token), this agent installation, this boot of it
 * (a new boot id tells the collector that the agent restarted), the agent's version, the site's
 * labels (e.g. {@code region}, {@code link}) and the site's contracted rates.
 */
public record AgentIdentity(
        String site,
        String agentId,
        String bootId,
        String version,
        Map<String, String> labels,
        Contract expected) {

    public AgentIdentity {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /** The site's contracted line rates in bytes per second; 0 when not declared. */
    public record Contract(double downBytesPerSecond, double upBytesPerSecond) {
        public static final Contract NONE = new Contract(0, 0);
    }
}
