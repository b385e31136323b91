package io.linkprobe.collector.ingest;

import io.linkprobe.common.wire.ConnectResult;
import io.linkprobe.common.wire.LatencyWindow;
import io.linkprobe.common.wire.Sample;
import io.linkprobe.common.wire.ThroughputResult;

/** The target a sample is about, or null for samples about the agent itself. */
final class Targets {
    private Targets() {}

    static String of(Sample sample) {
        if (sample instanceof LatencyWindow w) {
            return w.target();
        }
        if (sample instanceof ThroughputResult r) {
            return r.target();
        }
        if (sample instanceof ConnectResult c) {
            return c.target();
        }
        return null;
    }

    static String type(Sample sample) {
        if (sample instanceof LatencyWindow) {
            return "latency";
        }
        if (sample instanceof ThroughputResult) {
            return "throughput";
        }
        if (sample instanceof ConnectResult) {
            return "connect";
        }
        return "health";
    }
}
