package io.linkprobe.common.stamp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ErrorEstimateTest {
    @Test
    void tenMillisecondsIsScale18Multiplier164() {
        // 10 ms = 42,949,673 units of 2^-32 s; the smallest scale with ceil(units / 2^scale) <= 255 is 18
        int field = ErrorEstimate.encode(false, Duration.ofMillis(10));
        assertEquals(0x12A4, field);
        assertFalse(ErrorEstimate.isSynchronized(field));
        assertEquals(164 * Math.pow(2, 18 - 32) * 1e9, ErrorEstimate.errorNanos(field), 1e-6);
    }

    @Test
    void synchronisedOneMillisecondSetsTheSBit() {
        int field = ErrorEstimate.encode(true, Duration.ofMillis(1));
        assertEquals(0x8F84, field); // S=1, Z=0, scale 15, multiplier 132
        assertTrue(ErrorEstimate.isSynchronized(field));
        assertFalse(ErrorEstimate.isPtp(field));
    }

    @Test
    void encodedErrorIsNeverBelowTheTrueErrorAndMultiplierNeverZero() {
        for (long nanos : new long[] {0, 1, 233, 1_000, 999_999, 1_000_000_000, 3_600_000_000_000L}) {
            int field = ErrorEstimate.encode(false, Duration.ofNanos(nanos));
            assertTrue(ErrorEstimate.multiplier(field) >= 1, "multiplier of " + nanos);
            assertTrue(ErrorEstimate.errorNanos(field) >= nanos, "error of " + nanos);
        }
    }
}
