package io.linkprobe.common.stamp;

import java.time.Duration;

/**
 * The 16-bit Error Estimate field (RFC 4656 §4.1.2, used unchanged by RFC 8762):
 * <pre>
 *  0                   1
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |S|Z|   Scale   |   Multiplier  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * S = clock synchronised to UTC by an external source; Z = 0 for NTP-format timestamps (RFC 8762
 * §4.2.1, 1 would mean PTP); error = Multiplier * 2^(Scale - 32) seconds; Multiplier must not be 0.
 */
public final class ErrorEstimate {
    private ErrorEstimate() {}

    /** Encodes an NTP-format estimate; the error is rounded up to what the field can express. */
    public static int encode(boolean synchronizedToUtc, Duration error) {
        double units = Math.max(1.0, Math.ceil(Math.scalb((double) error.toNanos(), 32) / 1e9)); // in 2^-32 s
        int scale = 0;
        while (scale < 63 && Math.ceil(units / Math.scalb(1.0, scale)) > 255) {
            scale++;
        }
        int multiplier = (int) Math.min(255, Math.max(1, Math.ceil(units / Math.scalb(1.0, scale))));
        return (synchronizedToUtc ? 0x8000 : 0) | (scale << 8) | multiplier;
    }

    public static boolean isSynchronized(int field) {
        return (field & 0x8000) != 0;
    }

    /** True when the timestamps are PTP (Z bit), which this implementation never sends. */
    public static boolean isPtp(int field) {
        return (field & 0x4000) != 0;
    }

    public static int scale(int field) {
        return (field >>> 8) & 0x3F;
    }

    public static int multiplier(int field) {
        return field & 0xFF;
    }

    /** The error the field states, in nanoseconds. */
    public static double errorNanos(int field) {
        return multiplier(field) * Math.scalb(1e9, scale(field) - 32);
    }
}
