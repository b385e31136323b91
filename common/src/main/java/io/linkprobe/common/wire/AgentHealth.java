package io.linkprobe.common.wire;

/**
 * The agent's own state, reported with each push.
 *
 * @param spoolDroppedTotal results dropped because the spool was full, since the spool was created
 * @param spoolRecoveredTotal times the spool was found corrupt at start, moved aside and recreated
 *     (a running total the agent keeps across such recoveries where the old file still tells it);
 *     null from agents that do not report it
 * @param spoolRecoveredAtMillis when the latest of those recoveries happened; null if never, so that
 *     a collector that restarted meanwhile can still tell a recovery it has not yet counted
 * @param implausibleDroppedTotal results the agent measured but dropped before spooling because
 *     they failed {@link Plausibility} (a bug: a healthy agent never does), since it started; null
 *     from agents that do not report it
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
        Long spoolRecoveredTotal,
        Long spoolRecoveredAtMillis,
        Long implausibleDroppedTotal,
        String planVersion) implements Sample {

    /** Health without the optional totals or a plan (an older agent's, or test data). */
    public AgentHealth(long endEpochMillis, long uptimeSeconds, long spoolBytes, long spoolPending,
            long spoolDroppedTotal, long pushFailuresTotal) {
        this(endEpochMillis, uptimeSeconds, spoolBytes, spoolPending, spoolDroppedTotal, pushFailuresTotal, null, null,
                null, null);
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
