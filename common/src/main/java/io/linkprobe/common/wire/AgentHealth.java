package io.linkprobe.common.wire;

/**
 * The agent's own state, reported with each push.
 *
 * @param spoolDroppedTotal results dropped because the spool was full, since the spool was created
 */
public record AgentHealth(
        long endEpochMillis,
        long uptimeSeconds,
        long spoolBytes,
        long spoolPending,
        long spoolDroppedTotal,
        long pushFailuresTotal) implements Sample {

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
