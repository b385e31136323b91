package io.linkprobe.agent.probe;

import io.linkprobe.agent.config.TargetConfig;
import io.linkprobe.common.wire.Sample;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * One scheduled measurement towards one target. Network failures are results (a failed connect is
 * a sample with {@code success=false}), so the stage completes exceptionally only on bugs.
 *
 * <p>Continuous STAMP probing is not a Prober: it is a session that runs all the time and is
 * summarised per window (see {@code LatencySessions}).
 */
public interface Prober {
    CompletionStage<List<Sample>> probe(TargetConfig target, Instant deadline);
}
