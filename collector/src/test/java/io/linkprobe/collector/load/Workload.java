package io.linkprobe.collector.load;

/** What a simulated agent pushes next, and when. Called on the agent's event loop only. */
interface Workload {
    /** Nanoseconds from now until {@code agent}'s next push should be built and sent. */
    long delayNanos(SimAgent agent, long nowNanos);

    /** Builds {@code agent}'s next push now; null when it has nothing more to push. */
    PushBodies.Push next(SimAgent agent, long nowNanos);
}
