package io.linkprobe.agent.probe;

import io.linkprobe.agent.config.TargetConfig;
import io.linkprobe.common.wire.Sample;
import java.time.Instant;
import java.util.concurrent.CompletionStage;

/**
 * One kind of measurement. The runtime looks probers up by {@link #kind()} (see {@link Probers}),
 * runs each towards every target it {@link #measures} on the {@link Schedule} it asks for, and
 * files what it returns; it knows nothing else about the kind. Adding a kind is one Prober and one
 * line in {@link Probers}.
 *
 * <p>Network failures are results (a failed connect is a sample with {@code success=false}), so the
 * stage completes exceptionally only on bugs.
 */
public interface Prober extends AutoCloseable {
    /** The kind of sample this prober produces: its key in the runtime's map. */
    Sample.Kind kind();

    /** Whether this kind measures {@code target} at all (its port is set, the kind is enabled). */
    boolean measures(TargetConfig target);

    /** When the runtime probes. */
    Schedule schedule();

    /** One measurement towards {@code target} that ends by {@code deadline}. */
    CompletionStage<ProbeResult> probe(TargetConfig target, Instant deadline);

    /**
     * What this kind's running measurements depend on besides their target, compared by
     * {@code equals} when the agent applies a new plan: where it changed, each running measurement
     * of the kind is stopped and started anew (a continuous session loses its open window, a test
     * loop its place in the period). So it holds what a running measurement keeps (a STAMP
     * session's options), not what each probe reads afresh. By default the schedule.
     */
    default Object settings() {
        return schedule();
    }

    /**
     * Ends what runs between probes towards {@code target} (a continuous session), after the
     * runtime has read it a last time: the target left the plan, or its settings changed.
     */
    default void stop(TargetConfig target) {}

    /** Stops whatever the prober keeps running between probes. */
    @Override
    default void close() {}
}
