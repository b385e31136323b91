package io.linkprobe.common.throughput.measurement;

/**
 * When goodput is stable enough to stop early, and which intervals make the steady rate.
 *
 * <p><b>Stable</b> (after the IETF responsiveness draft's moving-average rule, scaled to short
 * intervals): take moving averages over the last 1 s of intervals, ending now, 0.5 s ago, 1 s ago
 * and 1.5 s ago; goodput is stable when those {@value #AVERAGES} averages lie within
 * {@value #TOLERANCE} of each other — (max − min) ≤ 5 % of their mean. The check therefore looks at
 * the last 2.5 s ({@link #span()} intervals) and cannot pass earlier; slow start inside those 2.5 s
 * makes the oldest average low and fails it.
 *
 * <p><b>Steady rate</b>: bytes ÷ time over the intervals after the warm-up:
 * <ul>
 *   <li>stopped on stability: the {@link #span()} intervals the check looked at, less any in the
 *       first second: a short slow start (one half-full interval) averages out to under 5 % over
 *       a 1 s window and passes the check, but counted in the steady rate it read 1.8 % low
 *       against iperf3 on a 10 Mbit/s, 40 ms lab line;</li>
 *   <li>otherwise (duration or byte limit): all but the first max(1 s, 20 % of the intervals), and
 *       never more than half of them; like {@code iperf3 --omit 2} on a 10 s test, it drops slow
 *       start, which on long fat paths lasts over a second.</li>
 * </ul>
 * Only whole intervals count; the partial one at the end and the drain after STOP go into the
 * total bytes and the mean rate only.
 */
public final class StabilityRule {
    static final int AVERAGES = 4;
    static final double TOLERANCE = 0.05;
    private static final int AVERAGE_MILLIS = 1_000;
    private static final int SPACING_MILLIS = 500;
    private static final int MIN_WARMUP_MILLIS = 1_000;
    private static final double WARMUP_FRACTION = 0.2;

    private final int window;
    private final int spacing;
    private final int minWarmup;

    public StabilityRule(int intervalMillis) {
        if (intervalMillis <= 0) {
            throw new IllegalArgumentException("interval must be positive");
        }
        window = Math.max(1, Math.round((float) AVERAGE_MILLIS / intervalMillis));
        spacing = Math.max(1, Math.round((float) SPACING_MILLIS / intervalMillis));
        minWarmup = (int) Math.ceil((double) MIN_WARMUP_MILLIS / intervalMillis);
    }

    /** How many of the latest intervals the stability check covers. */
    int span() {
        return (AVERAGES - 1) * spacing + window;
    }

    public boolean stable(IntervalSeries series) {
        int end = series.size();
        if (end < span()) {
            return false;
        }
        double min = Double.MAX_VALUE;
        double max = 0;
        double sum = 0;
        for (int k = 0; k < AVERAGES; k++) {
            int to = end - k * spacing;
            double avg = series.rate(to - window, to);
            min = Math.min(min, avg);
            max = Math.max(max, avg);
            sum += avg;
        }
        double mean = sum / AVERAGES;
        return mean > 0 && max - min <= TOLERANCE * mean;
    }

    /** Intervals left out of the steady rate, from the start. */
    int warmupIntervals(IntervalSeries series, boolean stoppedOnStability) {
        int n = series.size();
        if (stoppedOnStability && n >= span()) {
            return Math.min(Math.max(n - span(), minWarmup), n - window);
        }
        int omit = Math.max(minWarmup, (int) Math.ceil(n * WARMUP_FRACTION));
        return Math.min(omit, n / 2);
    }

    /** The steady rate in bytes per second; 0 if there are no whole intervals. */
    public double steadyBytesPerSecond(IntervalSeries series, boolean stoppedOnStability) {
        return series.rate(warmupIntervals(series, stoppedOnStability), series.size());
    }
}
