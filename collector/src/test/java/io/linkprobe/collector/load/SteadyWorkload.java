package io.linkprobe.collector.load;

/**
 * Agents in normal operation, time-compressed: every {@code intervalNanos} each agent pushes what
 * a real agent pushes once a minute — one fresh window per target, its health, and now and then a
 * throughput result. Open loop: pushes are due on a fixed schedule whatever the collector does, so
 * a slow collector shows as a lower ingest rate and as late pushes, not as a politely slower load.
 * With {@code intervalNanos == 0} the loop is closed: each agent pushes again as soon as it is
 * acked, which finds the collector's saturation rate.
 */
final class SteadyWorkload implements Workload {
    private final PushBodies bodies;
    private final String[] targets;
    private final long intervalNanos;
    private final double throughputProbability;
    private volatile long endNanos = Long.MAX_VALUE;

    SteadyWorkload(PushBodies bodies, String[] targets, long intervalNanos, double throughputProbability) {
        this.bodies = bodies;
        this.targets = targets;
        this.intervalNanos = intervalNanos;
        this.throughputProbability = throughputProbability;
    }

    /** No push is started at or after {@code nanos}; agents then finish. */
    void stopAt(long nanos) {
        endNanos = nanos;
    }

    @Override
    public long delayNanos(SimAgent agent, long nowNanos) {
        if (intervalNanos == 0) {
            return 0;
        }
        long delay = agent.dueNanos - nowNanos;
        if (delay < -intervalNanos / 10) {
            // The last ack came back after this push was due: the collector is not keeping up.
            agent.stats().late.increment();
            agent.dueNanos = nowNanos;
        }
        return Math.max(0, delay);
    }

    @Override
    public PushBodies.Push next(SimAgent agent, long nowNanos) {
        if (nowNanos >= endNanos) {
            return null;
        }
        agent.dueNanos += intervalNanos;
        long now = System.currentTimeMillis();
        PushBodies.Builder push = bodies.builder(agent.prefix, agent.sequence++, agent.archetype);
        for (String target : targets) {
            push.window(agent.random, target, now);
        }
        if (agent.random.nextDouble() < throughputProbability) {
            push.throughput(targets[0], agent.random.nextInt(2), now);
        }
        return push.health(now).finish();
    }
}
