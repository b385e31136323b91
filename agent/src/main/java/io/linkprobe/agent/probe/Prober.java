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

    /** Stops whatever the prober keeps running between probes. */
    @Override
    default void close() {}
}
