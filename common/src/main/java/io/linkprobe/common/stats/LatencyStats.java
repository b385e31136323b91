package io.linkprobe.common.stats;

import io.linkprobe.common.wire.LatencyWindow.RttSummary;
import java.util.Arrays;

/**
 * Summaries of one window's round-trip times. Inputs are nanoseconds (from {@code System.nanoTime}),
 * outputs microseconds, as the wire model carries them. Percentiles are exact, by nearest rank
 * ({@link Percentiles}).
 */
public final class LatencyStats {
    private LatencyStats() {}

    /** min/p50/p90/p99/max/mean of the first {@code n} values, in µs; null when {@code n == 0}. */
    public static RttSummary summarize(long[] rttNanos, int n) {
        if (n == 0) {
            return null;
        }
        long[] sorted = Arrays.copyOf(rttNanos, n);
        Arrays.sort(sorted);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += sorted[i];
        }
        return new RttSummary(
                micros(sorted[0]),
                micros(Percentiles.ofSorted(sorted, n, 50)),
                micros(Percentiles.ofSorted(sorted, n, 90)),
                micros(Percentiles.ofSorted(sorted, n, 99)),
                micros(sorted[n - 1]),
                sum / n / 1_000.0);
    }

    /**
     * Inter-packet delay variation of consecutive RTTs (RFC 5481 IPDV, on round trips): the absolute
     * differences {@code |rtt[i] - rtt[i-1]|}. Absolute, because the signed distribution is centred on
     * zero by construction and its median says nothing; the size of the jumps is what hurts a call.
     *
     * @return {p50, p99} in µs, or null with fewer than two values
     */
    public static double[] ipdvP50P99(long[] rttNanosInOrder, int n) {
        if (n < 2) {
            return null;
        }
        long[] diffs = new long[n - 1];
        for (int i = 1; i < n; i++) {
            diffs[i - 1] = Math.abs(rttNanosInOrder[i] - rttNanosInOrder[i - 1]);
        }
        Arrays.sort(diffs);
        return new double[] {
            micros(Percentiles.ofSorted(diffs, n - 1, 50)), micros(Percentiles.ofSorted(diffs, n - 1, 99))
        };
    }

    /** Nearest-rank median of the first {@code n} values, in µs; null when empty. */
    public static Double medianMicros(long[] nanos, int n) {
        if (n == 0) {
            return null;
        }
        long[] sorted = Arrays.copyOf(nanos, n);
        Arrays.sort(sorted);
        return micros(Percentiles.ofSorted(sorted, n, 50));
    }

    public static double micros(long nanos) {
        return nanos / 1_000.0;
    }
}
