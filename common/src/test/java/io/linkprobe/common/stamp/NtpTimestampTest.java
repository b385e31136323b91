package io.linkprobe.common.stamp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NtpTimestampTest {
    @Test
    void unixEpochIsNtpSecond2208988800() {
        assertEquals(0x83AA7E80_00000000L, NtpTimestamp.fromEpoch(0, 0));
    }

    @Test
    void halfASecondIsTheTopFractionBit() {
        assertEquals(0x83AA7E81_80000000L, NtpTimestamp.fromEpoch(1, 500_000_000));
        assertEquals(0xE93C7F00_40000000L, NtpTimestamp.fromInstant(Instant.parse("2024-01-01T00:00:00.25Z")));
    }

    @Test
    void lastNanosecondOfASecondStaysInThatSecond() {
        // 999,999,999 ns = 4,294,967,291.7 units, rounded to 0xfffffffc
        assertEquals(0x83AA7E80_FFFFFFFCL, NtpTimestamp.fromEpoch(0, 999_999_999));
    }

    @Test
    void roundTripsToTheNanosecondInEra0AndEra1() {
        SplittableRandom r = new SplittableRandom(42);
        for (int i = 0; i < 10_000; i++) {
            // 1970 .. 2100, across the 2036 era boundary
            Instant t = Instant.ofEpochSecond(r.nextLong(0, 4_102_444_800L), r.nextInt(1_000_000_000));
            assertEquals(t, NtpTimestamp.toInstant(NtpTimestamp.fromInstant(t)), t.toString());
        }
    }

    @Test
    void era1TimestampsWrapTheSecondsField() {
        long ntp = NtpTimestamp.fromInstant(Instant.parse("2036-02-07T06:28:17Z"));
        assertEquals(1L << 32, ntp); // seconds field 1 of era 1
        assertEquals(Instant.parse("2036-02-07T06:28:17Z"), NtpTimestamp.toInstant(ntp));
    }

    @Test
    void nanosBetweenIsSignedAndSurvivesTheEraWrap() {
        long a = NtpTimestamp.fromInstant(Instant.parse("2036-02-07T06:28:15.75Z"));
        long b = NtpTimestamp.fromInstant(Instant.parse("2036-02-07T06:28:17.25Z"));
        assertEquals(1_500_000_000L, NtpTimestamp.nanosBetween(a, b));
        assertEquals(-1_500_000_000L, NtpTimestamp.nanosBetween(b, a));
    }
}
