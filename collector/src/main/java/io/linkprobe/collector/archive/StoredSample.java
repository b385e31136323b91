package io.linkprobe.collector.archive;

import io.linkprobe.common.wire.Sample;

/** A result read back from the raw tier, with the push that brought it. */
public record StoredSample(String agentId, long sequence, long receivedMillis, Sample sample) {

    /** The sample's wire type: latency, throughput, connect, health. */
    public String type() {
        return sample.kind().wireName();
    }

    public String target() {
        return sample.target();
    }

    public long endMillis() {
        return sample.endEpochMillis();
    }
}
