package io.linkprobe.collector.load;

/**
 * Agents coming back from an outage, each with {@code windowsPerAgent} spooled windows (spread
 * over its targets, so 60 windows of 3 targets are the last 20 minutes), pushing them at once in
 * batches of {@code batch} windows, oldest first, each batch with the agent's current health; the
 * first batch also carries the throughput test that ran during the outage.
 */
final class StormWorkload implements Workload {
    private final PushBodies bodies;
    private final String[] targets;
    private final int windowsPerAgent;
    private final int batch;
    private final long outageEndMillis;

    StormWorkload(PushBodies bodies, String[] targets, int windowsPerAgent, int batch, long outageEndMillis) {
        this.bodies = bodies;
        this.targets = targets;
        this.windowsPerAgent = windowsPerAgent;
        this.batch = batch;
        this.outageEndMillis = outageEndMillis;
    }

    @Override
    public long delayNanos(SimAgent agent, long nowNanos) {
        return 0;
    }

    @Override
    public PushBodies.Push next(SimAgent agent, long nowNanos) {
        int from = agent.progress;
        if (from >= windowsPerAgent) {
            return null;
        }
        int to = Math.min(windowsPerAgent, from + batch);
        int minutes = (windowsPerAgent + targets.length - 1) / targets.length;
        PushBodies.Builder push = bodies.builder(agent.prefix, agent.sequence++, agent.archetype);
        for (int j = from; j < to; j++) {
            long end = outageEndMillis - (long) (minutes - j / targets.length) * LinkModel.WINDOW_MILLIS;
            push.window(agent.random, targets[j % targets.length], end);
        }
        if (from == 0) {
            push.throughput(targets[0], 0, outageEndMillis - minutes * LinkModel.WINDOW_MILLIS / 2);
        }
        agent.progress = to;
        return push.health(System.currentTimeMillis()).finish();
    }
}
