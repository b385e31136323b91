package io.linkprobe.common.stats;

/**
 * Exact percentiles of raw values by the <b>nearest-rank</b> method: the p-th percentile of n sorted
 * values is the value at rank {@code ceil(p / 100 * n)} (1-based). The result is always one of the
 * measured values, never an interpolation between two, so a reported p99 RTT is an RTT that a packet
 * really had. Example: of {10, 20, 30, 40} the p50 is 20 and the p90 is 40.
 */
public final class Percentiles {
    private Percentiles() {}

    /** The 1-based nearest rank of percentile {@code p} (0 < p <= 100) among {@code n} values. */
    public static int rank(double p, int n) {
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], got " + p);
        }
        if (n <= 0) {
            throw new IllegalArgumentException("no values");
        }
        // p * n / 100 is computed as (p * n) / 100 so that e.g. 90 * 10 / 100 is exactly 9, not
        // 9.000000000000002 as 0.9 * 10 would be; the small epsilon absorbs what rounding remains.
        int rank = (int) Math.ceil(p * n / 100.0 - 1e-9);
        return Math.max(1, Math.min(n, rank));
    }

    /** Nearest-rank percentile of values already sorted ascending. */
    public static long ofSorted(long[] sorted, int n, double p) {
        return sorted[rank(p, n) - 1];
    }

    /** Nearest-rank percentile of values already sorted ascending. */
    public static double ofSorted(double[] sorted, int n, double p) {
        return sorted[rank(p, n) - 1];
    }
}
