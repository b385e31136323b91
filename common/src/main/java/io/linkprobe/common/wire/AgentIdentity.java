package io.linkprobe.common.wire;

import java.util.Map;

/**
 * Who is pushing: the site (bound to the bearer token), this agent installation, this boot of it
 * (a new boot id tells the collector that the agent restarted), the agent's version, the site's
 * labels (e.g. {@code region}, {@code link}) and the site's contracted rates, and the build it runs
 * (git revision, Java version) so that the collector can publish {@code linkprobe_agent_build_info}:
 * agents are never scraped themselves. An older agent sends no revision: null here.
 */
public record AgentIdentity(
        String site,
        String agentId,
        String bootId,
        String version,
        Map<String, String> labels,
        Contract expected,
        String revision,
        String javaVersion) {

    public AgentIdentity {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /** An identity without build details (as an older agent sends it). */
    public AgentIdentity(String site, String agentId, String bootId, String version, Map<String, String> labels,
            Contract expected) {
        this(site, agentId, bootId, version, labels, expected, null, null);
    }

    /** The site's contracted line rates in bytes per second; 0 when not declared. */
    public record Contract(double downBytesPerSecond, double upBytesPerSecond) {
        public static final Contract NONE = new Contract(0, 0);
    }
}
