package io.linkprobe.common.wire;

import java.util.List;

/**
 * One direction of one throughput test, with the latency measured while it ran.
 *
 * @param result one of {@link Outcome}'s wire names
 * @param steadyBytesPerSecond goodput after the warm-up (slow start) is excluded
 * @param intervalBytes goodput at the receiver per {@code intervalMillis}
 * @param tcp kernel TCP_INFO of the sending side's connections; null where epoll is unavailable
 * @param loaded latency under load; null if it could not be measured
 */
public record ThroughputResult(
        String target,
        long startEpochMillis,
        long endEpochMillis,
        String direction,
        String result,
        String message,
        int streams,
        long bytes,
        double seconds,
        double steadyBytesPerSecond,
        double meanBytesPerSecond,
        boolean stable,
        int intervalMillis,
        List<Long> intervalBytes,
        TcpInfo tcp,
        LoadedLatency loaded) implements Sample {

    public ThroughputResult {
        intervalBytes = intervalBytes == null ? List.of() : List.copyOf(intervalBytes);
    }

    /** This result with its latency under load. */
    public ThroughputResult withLoaded(LoadedLatency latency) {
        return new ThroughputResult(target, startEpochMillis, endEpochMillis, direction, result, message, streams,
                bytes, seconds, steadyBytesPerSecond, meanBytesPerSecond, stable, intervalMillis, intervalBytes, tcp,
                latency);
    }

    /**
     * Kernel TCP_INFO of the sending side, summed (retransmits) or minimised (RTT) over the test's
     * data connections, and the sender's congestion control (null if unknown).
     */
    public record TcpInfo(Long minRttMicros, long retransmits, Long sendCwndSegments, String congestionControl) {}

    /** RTT while the link was loaded by this test, and the idle RTT measured just before it. */
    public record LoadedLatency(
            double idleRttP50Micros,
            double loadedRttP50Micros,
            double loadedRttP90Micros,
            double bufferbloatMicros,
            double rpm,
            String grade,
            long probesSent,
            long probesReceived) {}

    /** How a test ended. */
    public enum Outcome {
        OK("ok"), BUSY("busy"), REFUSED("refused"), UNREACHABLE("unreachable"),
        AUTH_FAILED("auth_failed"), ERROR("error");

        private final String wireName;

        Outcome(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    @Override
    public Kind kind() {
        return Kind.THROUGHPUT;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.throughput(this);
    }
}
