package io.linkprobe.agent.probe;

import io.linkprobe.common.wire.Sample;
import java.util.List;

/**
 * What one probe produced, and what the schedule needs to know about it.
 *
 * @param samples the results to spool and push, possibly none
 * @param bytesUsed bytes the probe put on the line, charged to its kind's daily budget
 * @param busy the far end turned the probe away for now: try again soon, not a period later
 */
public record ProbeResult(List<Sample> samples, long bytesUsed, boolean busy) {
    public static final ProbeResult NONE = new ProbeResult(List.of(), 0, false);

    public ProbeResult {
        samples = List.copyOf(samples);
    }

    /** Cheap results: nothing to charge, never busy. */
    public static ProbeResult of(List<? extends Sample> samples) {
        return new ProbeResult(List.copyOf(samples), 0, false);
    }
}
