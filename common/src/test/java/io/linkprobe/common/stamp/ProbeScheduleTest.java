package io.linkprobe.common.stamp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ProbeScheduleTest {
    static final long MEAN = 200_000_000L;

    @Test
    void poissonGapsAreExponentialAroundTheMean() {
        SplittableRandom random = new SplittableRandom(7);
        int n = 200_000;
        double sum = 0;
        double sumSquares = 0;
        int longerThanMean = 0;
        long max = 0;
        for (int i = 0; i < n; i++) {
            long gap = ProbeSchedule.POISSON.nextGapNanos(MEAN, random);
            sum += gap;
            sumSquares += (double) gap * gap;
            longerThanMean += gap > MEAN ? 1 : 0;
            max = Math.max(max, gap);
        }
        double mean = sum / n;
        double sd = Math.sqrt(sumSquares / n - mean * mean);
        // An exponential distribution: standard deviation equals the mean, P(gap > mean) = 1/e.
        // The truncation at 8x takes e^-8 * 9 = 0.3 % off the mean.
        assertEquals(MEAN, mean, MEAN * 0.01);
        assertEquals(mean, sd, mean * 0.02);
        assertEquals(Math.exp(-1), (double) longerThanMean / n, 0.005);
        assertTrue(max <= 8 * MEAN, "truncated at 8x the mean");
    }

    @Test
    void periodicGapsAreTheMean() {
        assertEquals(MEAN, ProbeSchedule.PERIODIC.nextGapNanos(MEAN, new SplittableRandom()));
    }
}
