package io.linkprobe.common.stamp;

import java.time.Instant;

/**
 * The 64-bit NTP timestamp STAMP carries (RFC 8762 §4.2.1, format of RFC 5905 §6): 32 bits of
 * seconds since 1900-01-01T00:00Z, then 32 bits of binary fraction of a second. Held as a plain
 * {@code long} (the 8 wire bytes, big-endian) so the hot path allocates nothing.
 *
 * <p>Seconds wrap in 2036 (NTP era 1). Decoding treats a seconds field with the top bit clear as
 * era 1 (2036-2104), as RFC 4330 §3 suggests, so conversions are right from 1968 to 2104.
 */
public final class NtpTimestamp {
    /** Seconds from 1900-01-01 to 1970-01-01. */
    static final long EPOCH_OFFSET_SECONDS = 2_208_988_800L;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private NtpTimestamp() {}

    /** The wall clock now, as an NTP timestamp. Wall clock on purpose: this is what STAMP compares. */
    public static long now() {
        Instant t = Instant.now();
        return fromEpoch(t.getEpochSecond(), t.getNano());
    }

    /** Unix seconds and nanoseconds of that second to NTP, rounded to the nearest 2^-32 s. */
    public static long fromEpoch(long epochSeconds, int nanos) {
        long seconds = epochSeconds + EPOCH_OFFSET_SECONDS;
        // Rounds to nearest; cannot carry into the seconds: 999,999,999 ns is 4.3 units below 2^32.
        long fraction = (((long) nanos << 32) + NANOS_PER_SECOND / 2) / NANOS_PER_SECOND;
        return (seconds << 32) | fraction;
    }

    public static long fromInstant(Instant t) {
        return fromEpoch(t.getEpochSecond(), t.getNano());
    }

    public static Instant toInstant(long ntp) {
        long seconds = ntp >>> 32;
        if ((seconds & 0x8000_0000L) == 0) {
            seconds += 1L << 32; // era 1: after 2036-02-07
        }
        long nanos = ((ntp & 0xFFFF_FFFFL) * NANOS_PER_SECOND + (1L << 31)) >>> 32;
        return Instant.ofEpochSecond(seconds - EPOCH_OFFSET_SECONDS, nanos);
    }

    /**
     * {@code later - earlier} in nanoseconds, for timestamps within ±68 years of each other.
     * Works across the 2036 wrap because the subtraction is done on the raw 64-bit values.
     */
    public static long nanosBetween(long earlier, long later) {
        long units = later - earlier; // signed, in 2^-32 s
        // units * 1e9 / 2^32 without overflow: the high word of units * (1e9 * 2^32) / 2^64.
        return Math.multiplyHigh(units, NANOS_PER_SECOND << 32);
    }
}
