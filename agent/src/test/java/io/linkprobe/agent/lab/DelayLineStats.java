package io.linkprobe.agent.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The delay line's counters (see {@code lab/delayline.c}, the JSON it writes on SIGUSR1). Take one
 * snapshot before and one after a measurement and subtract: what the line really did to the
 * packets in between is the ground truth for loss, not the configured probability.
 */
public record DelayLineStats(Counters up, Counters down) {

    /**
     * @param packetsIn        packets read from the TUN device
     * @param droppedLoss      packets dropped on purpose (random loss)
     * @param droppedFull      packets dropped because the ring was full (the line was overrun)
     * @param packetsOut       packets written on
     * @param maxPacketBytes   the largest packet seen: more than the MTU means offloads leaked through
     * @param lateMeanMicros   mean lateness of release against the due time (since the line started)
     * @param lateP50Micros    median of that lateness
     * @param lateP99Micros    99th percentile of that lateness
     */
    public record Counters(long packetsIn, long droppedLoss, long droppedFull, long packetsOut,
                            long maxPacketBytes, double lateMeanMicros, long lateP50Micros, long lateP99Micros) {

        /** Counters accumulated since {@code earlier}; the timing fields are this snapshot's. */
        public Counters since(Counters earlier) {
            return new Counters(packetsIn - earlier.packetsIn, droppedLoss - earlier.droppedLoss,
                    droppedFull - earlier.droppedFull, packetsOut - earlier.packetsOut,
                    maxPacketBytes, lateMeanMicros, lateP50Micros, lateP99Micros);
        }

        public double lossPercent() {
            return packetsIn == 0 ? 0 : 100.0 * droppedLoss / packetsIn;
        }
    }

    public Counters of(LinkDirection direction) {
        return direction == LinkDirection.DOWN ? down : up;
    }

    public DelayLineStats since(DelayLineStats earlier) {
        return new DelayLineStats(up.since(earlier.up), down.since(earlier.down));
    }

    static DelayLineStats parse(String json) {
        try {
            JsonNode root = new ObjectMapper().readTree(json);
            return new DelayLineStats(counters(root.path("up")), counters(root.path("down")));
        } catch (IOException e) {
            throw new UncheckedIOException("delay line stats: " + json, e);
        }
    }

    private static Counters counters(JsonNode node) {
        if (node.isMissingNode()) throw new IllegalArgumentException("delay line stats without a direction: " + node);
        return new Counters(node.path("packets_in").asLong(), node.path("dropped_loss").asLong(),
                node.path("dropped_full").asLong(), node.path("packets_out").asLong(),
                node.path("max_packet_bytes").asLong(), node.path("late_us").path("mean").asDouble(),
                node.path("late_us").path("p50").asLong(), node.path("late_us").path("p99").asLong());
    }
}
