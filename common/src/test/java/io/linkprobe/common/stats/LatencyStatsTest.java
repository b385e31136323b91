package io.linkprobe.common.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.linkprobe.common.wire.LatencyWindow.RttSummary;
import org.junit.jupiter.api.Test;

class LatencyStatsTest {
    @Test
    void summaryInMicrosecondsByNearestRank() {
        long[] rtt = {3_000, 1_000, 2_000, 4_000, 99_999}; // the last is beyond n and ignored
        RttSummary s = LatencyStats.summarize(rtt, 4);
        // sorted 1, 2, 3, 4 µs: p50 rank 2, p90 rank ceil(3.6) = 4, p99 rank 4; mean 2.5
        assertEquals(new RttSummary(1.0, 2.0, 4.0, 4.0, 4.0, 2.5), s);
        assertArrayEquals(new long[] {3_000, 1_000, 2_000, 4_000, 99_999}, rtt, "input left unsorted");
    }

    @Test
    void noValuesNoSummary() {
        assertNull(LatencyStats.summarize(new long[0], 0));
        assertNull(LatencyStats.medianMicros(new long[4], 0));
    }

    @Test
    void ipdvIsTheAbsoluteDifferenceOfConsecutiveRtts() {
        long[] rtt = {1_000, 3_000, 2_000, 2_500, 6_000};
        // |D| = 2000, 1000, 500, 3500 ns; sorted 500, 1000, 2000, 3500: p50 rank 2, p99 rank 4
        assertArrayEquals(new double[] {1.0, 3.5}, LatencyStats.ipdvP50P99(rtt, 5));
        assertNull(LatencyStats.ipdvP50P99(rtt, 1));
    }
}
