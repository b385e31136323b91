package io.linkprobe.agent.lab;

import java.util.stream.Stream;

/** The lines the lab tests run on, shared so that validation and comparisons use the same ones. */
final class LabLinks {

    /** A copper line with a bloated modem buffer: 6 Mbit/s, 300 ms of queue, 40 ms base RTT. */
    static final LinkSpec BLOATED = LinkSpec.shapedMbit(6, 6).withBufferMillis(300).withDelayMillis(20);

    private LabLinks() {
    }

    /**
     * Two rates in each direction with realistic base RTTs; asymmetric so that each direction's
     * rate is shown to be its own. Buffers hold at least a bandwidth-delay product.
     */
    static Stream<LinkSpec> throughput() {
        return Stream.of(
                LinkSpec.shapedMbit(10, 50).withDelayMillis(20).withBufferMillis(100),
                LinkSpec.shapedMbit(50, 10).withDelayMillis(10).withBufferMillis(100));
    }
}
