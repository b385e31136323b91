package io.linkprobe.common.wire;

/**
 * One window (default 60 s) of STAMP probing towards one target.
 *
 * <p>Loss is split by direction from the stateful reflector's own sequence numbers: a reply whose
 * reflector sequence skips ahead means requests were lost on the way out ({@code lostForward},
 * site to hub, "up"); requests never answered beyond those are lost on the way back
 * ({@code lostBackward}, "down"). {@code rttMicros} holds every RTT of the window in order of
 * sending, so the collector can build exact histograms.
 *
 * @param rtt null when nothing was received in the window
 * @param forwardDelayMicrosP50 one-way delay, only when the clocks are known to be in sync; else null
 * @param timeoutMillis the probe timeout the window was measured with: no RTT in it is longer (a
 *     reply later than this counts as lost). Null from agents that did not send it.
 */
public record LatencyWindow(
        String target,
        long startEpochMillis,
        long endEpochMillis,
        long sent,
        long received,
        long lostForward,
        long lostBackward,
        long duplicates,
        long reordered,
        RttSummary rtt,
        double jitterMicros,
        Double ipdvP50Micros,
        Double ipdvP99Micros,
        long bytesSent,
        long bytesReceived,
        Double forwardDelayMicrosP50,
        Double backwardDelayMicrosP50,
        int[] rttMicros,
        Long timeoutMillis) implements Sample {

    /** A window without its probe timeout (an older agent's, or test data). */
    public LatencyWindow(String target, long startEpochMillis, long endEpochMillis, long sent, long received,
            long lostForward, long lostBackward, long duplicates, long reordered, RttSummary rtt, double jitterMicros,
            Double ipdvP50Micros, Double ipdvP99Micros, long bytesSent, long bytesReceived,
            Double forwardDelayMicrosP50, Double backwardDelayMicrosP50, int[] rttMicros) {
        this(target, startEpochMillis, endEpochMillis, sent, received, lostForward, lostBackward, duplicates,
                reordered, rtt, jitterMicros, ipdvP50Micros, ipdvP99Micros, bytesSent, bytesReceived,
                forwardDelayMicrosP50, backwardDelayMicrosP50, rttMicros, null);
    }

    public long lost() {
        return lostForward + lostBackward;
    }

    /** RTT statistics of a window, in microseconds. */
    public record RttSummary(double min, double p50, double p90, double p99, double max, double mean) {}

    @Override
    public boolean equals(Object o) {
        return o instanceof LatencyWindow w
                && java.util.Objects.equals(target, w.target) && startEpochMillis == w.startEpochMillis
                && endEpochMillis == w.endEpochMillis && sent == w.sent && received == w.received
                && lostForward == w.lostForward && lostBackward == w.lostBackward
                && duplicates == w.duplicates && reordered == w.reordered
                && java.util.Objects.equals(rtt, w.rtt)
                // as a record compares it: a NaN equals itself (found by fuzzing the archive codec)
                && Double.compare(jitterMicros, w.jitterMicros) == 0
                && java.util.Objects.equals(ipdvP50Micros, w.ipdvP50Micros)
                && java.util.Objects.equals(ipdvP99Micros, w.ipdvP99Micros)
                && bytesSent == w.bytesSent && bytesReceived == w.bytesReceived
                && java.util.Objects.equals(forwardDelayMicrosP50, w.forwardDelayMicrosP50)
                && java.util.Objects.equals(backwardDelayMicrosP50, w.backwardDelayMicrosP50)
                && java.util.Arrays.equals(rttMicros, w.rttMicros)
                && java.util.Objects.equals(timeoutMillis, w.timeoutMillis);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(target, startEpochMillis, endEpochMillis, sent, received);
    }

    @Override
    public String toString() {
        return "LatencyWindow[target=" + target + ", end=" + endEpochMillis + ", sent=" + sent
                + ", received=" + received + ", lostForward=" + lostForward
                + ", lostBackward=" + lostBackward + ", rtt=" + rtt + "]";
    }

    @Override
    public Kind kind() {
        return Kind.LATENCY;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.latency(this);
    }
}
