package io.linkprobe.common.wire;

/**
 * The agent's own state, reported with each push.
 *
 * @param spoolDroppedTotal results dropped because the spool was full, since the spool was created
 * @param planVersion the version of the collector's plan the agent runs ({@link Plan#version()});
 *     null when it runs its own {@code agent.yml} alone, and from agents that do not report it
 */
public record AgentHealth(
        long endEpochMillis,
        long uptimeSeconds,
        long spoolBytes,
        long spoolPending,
        long spoolDroppedTotal,
        long pushFailuresTotal,
        String planVersion) implements Sample {

    /** Health without a plan (an agent running its own config, an older agent, or test data). */
    public AgentHealth(long endEpochMillis, long uptimeSeconds, long spoolBytes, long spoolPending,
            long spoolDroppedTotal, long pushFailuresTotal) {
        this(endEpochMillis, uptimeSeconds, spoolBytes, spoolPending, spoolDroppedTotal, pushFailuresTotal, null);
    }

    @Override
    public String target() {
        return null;
    }

    @Override
    public Kind kind() {
        return Kind.HEALTH;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.health(this);
    }
}
