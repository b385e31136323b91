package io.linkprobe.common.stamp;

import java.time.Duration;
import java.util.Objects;

/**
 * What this host says about its wall clock in the STAMP Error Estimate field. Only when both ends
 * say they are synchronised, with a small enough error, does the sender report one-way delays.
 *
 * @param synchronizedToUtc the S bit: the clock is disciplined by an external source (NTP, PTP, GPS)
 * @param errorEstimate the clock's error bound, encoded as Scale/Multiplier
 */
public record ClockSync(boolean synchronizedToUtc, Duration errorEstimate) {
    /** An undisciplined clock: S = 0 and a 10 ms estimate, so one-way delays are never reported. */
    public static final ClockSync UNSYNCHRONIZED = new ClockSync(false, Duration.ofMillis(10));

    public ClockSync {
        Objects.requireNonNull(errorEstimate, "errorEstimate");
        if (errorEstimate.isNegative()) {
            throw new IllegalArgumentException("errorEstimate must not be negative");
        }
    }

    /** The 16-bit Error Estimate field. */
    public int encode() {
        return ErrorEstimate.encode(synchronizedToUtc, errorEstimate);
    }
}
