package io.linkprobe.collector.sites;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.common.testing.Samples;
import io.linkprobe.common.wire.LatencyWindow;
import org.junit.jupiter.api.Test;

class DaySeriesTest {
    static final long B = DaySeries.BUCKET_MILLIS;
    /** Three minutes into a bucket. */
    static final long NOW = 1_760_000_000_000L / B * B + 180_000;

    static LatencyWindow window(long end, int rttMicros, long lost) {
        return Samples.window("hub", end, new int[] {rttMicros, rttMicros, rttMicros}, lost, 0);
    }

    @Test
    void windowsOfOneBucketAverageTheirP50AndAddTheirLoss() {
        DaySeries day = new DaySeries();
        day.add(window(NOW - 60_000, 10_000, 1), NOW);
        day.add(window(NOW - 120_000, 20_000, 0), NOW);

        DaySeries.Points p = day.points(NOW);
        assertEquals(NOW - 180_000 - (DaySeries.BUCKETS - 1) * B, p.startMillis());
        assertEquals(0.015, p.rttP50Seconds()[DaySeries.BUCKETS - 1], 1e-9);
        assertEquals(1.0 / 7, p.lossRatio()[DaySeries.BUCKETS - 1], 1e-9);
        assertTrue(Double.isNaN(p.rttP50Seconds()[DaySeries.BUCKETS - 2]), "no data is NaN, not 0");
    }

    @Test
    void aLateWindowLandsInTheBucketOfItsMeasurementTime() {
        DaySeries day = new DaySeries();
        day.add(window(NOW - 5 * B, 30_000, 0), NOW);

        assertEquals(0.03, day.points(NOW).rttP50Seconds()[DaySeries.BUCKETS - 1 - 5], 1e-9);
    }

    @Test
    void aDayLaterTheSlotsHoldTheNewDayOnly() {
        DaySeries day = new DaySeries();
        day.add(window(NOW - 60_000, 10_000, 0), NOW);
        long tomorrow = NOW + DaySeries.BUCKETS * B;
        day.add(window(NOW - DaySeries.BUCKETS * B, 50_000, 0), tomorrow);
        day.add(window(tomorrow - 60_000, 40_000, 0), tomorrow);

        DaySeries.Points p = day.points(tomorrow);
        assertEquals(0.04, p.rttP50Seconds()[DaySeries.BUCKETS - 1], 1e-9, "yesterday's 10 ms in the same slot is gone");
        assertEquals(1, java.util.Arrays.stream(p.rttP50Seconds()).filter(v -> !Double.isNaN(v)).count(),
                "a window older than 24 h is ignored");
        assertEquals(0.04, day.points(tomorrow + B).rttP50Seconds()[DaySeries.BUCKETS - 2], 1e-9,
                "a bucket later, it has moved one to the left");
    }

    @Test
    void fillingFromTheArchiveTakesOnlyBucketsWithoutData() {
        DaySeries memory = new DaySeries();
        memory.add(window(NOW - 60_000, 10_000, 0), NOW);
        DaySeries archive = new DaySeries();
        archive.add(window(NOW - 60_000, 10_000, 0), NOW);
        archive.add(window(NOW - 120_000, 30_000, 0), NOW);
        archive.add(window(NOW - 3 * B, 20_000, 3), NOW);

        memory.fillGaps(archive, NOW);

        DaySeries.Points p = memory.points(NOW);
        assertEquals(0.01, p.rttP50Seconds()[DaySeries.BUCKETS - 1], 1e-9, "the bucket in memory is kept as it is");
        assertEquals(0.02, p.rttP50Seconds()[DaySeries.BUCKETS - 4], 1e-9);
        assertEquals(0.5, p.lossRatio()[DaySeries.BUCKETS - 4], 1e-9);
    }
}
