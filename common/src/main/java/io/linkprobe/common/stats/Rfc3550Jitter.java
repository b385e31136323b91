package io.linkprobe.common.stats;

/**
 * The interarrival jitter estimator of RFC 3550 §6.4.1, applied to successive round-trip times:
 * {@code J += (|D| - J) / 16} where D is the difference between an RTT and the one before it.
 * It is a running estimate (it remembers the past with weight 15/16 per sample), so the sender keeps
 * one instance across windows and reports its value at each window's end, as RTP receivers do in
 * every report.
 *
 * <p>Not thread-safe: one owner feeds it.
 */
public final class Rfc3550Jitter {
    private double jitter;
    private double previous;
    private boolean hasPrevious;

    /** Adds the next value in order (any unit; the estimate is in the same unit). */
    public void add(double value) {
        if (hasPrevious) {
            double d = Math.abs(value - previous);
            jitter += (d - jitter) / 16.0;
        }
        previous = value;
        hasPrevious = true;
    }

    public double value() {
        return jitter;
    }

    /** The estimate after feeding {@code values} in order to a fresh estimator. */
    public static double of(double... values) {
        Rfc3550Jitter j = new Rfc3550Jitter();
        for (double v : values) {
            j.add(v);
        }
        return j.value();
    }
}
