package io.linkprobe.common.throughput.measurement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.IntToLongFunction;
import org.junit.jupiter.api.Test;

class StabilityRuleTest {
    private static final long NANOS = 100_000_000L;
    private final StabilityRule rule = new StabilityRule(100);

    /** Feeds intervals until stable; returns how many it took, or -1. */
    private int intervalsUntilStable(IntervalSeries s, int max, IntToLongFunction bytesAt) {
        for (int i = 0; i < max; i++) {
            s.add(bytesAt.applyAsLong(i), NANOS);
            if (rule.stable(s)) {
                return i + 1;
            }
        }
        return -1;
    }

    @Test
    void theCheckCoversTwoAndAHalfSeconds() {
        assertEquals(25, rule.span());
        assertEquals(5, new StabilityRule(500).span(), "1 s window = 2 intervals, 0.5 s spacing = 1");
    }

    @Test
    void constantGoodputIsStableAsSoonAsTheSpanIsFull() {
        assertEquals(25, intervalsUntilStable(new IntervalSeries(), 100, i -> 125_000));
    }

    @Test
    void slowStartDelaysStabilityUntilItLeavesTheSpan() {
        // Doubling for 8 intervals (slow start), then flat.
        IntervalSeries s = new IntervalSeries();
        int n = intervalsUntilStable(s, 100, i -> i < 8 ? 1000L << i : 256_000);
        assertTrue(n > 25 && n <= 8 + 25, "stable after " + n);
        assertEquals(256_000 * 10, rule.steadyBytesPerSecond(s, true), 1, "steady excludes slow start");
        assertTrue(s.rate(0, s.size()) < 256_000 * 10 * 0.9, "the mean does not");
    }

    @Test
    void aShortSlowStartPassesTheCheckButStaysOutOfTheSteadyRate() {
        // As measured on a 10 Mbit/s, 40 ms lab line: the first interval 59 % full, then the line rate.
        IntervalSeries s = new IntervalSeries();
        int n = intervalsUntilStable(s, 100, i -> i == 0 ? 70_952 : 119_460);
        assertEquals(25, n, "stable as soon as the span is full: the first interval costs 4 % of one average");
        assertEquals(10, rule.warmupIntervals(s, true), "the first second is left out");
        assertEquals(1_194_600, rule.steadyBytesPerSecond(s, true), 1);
        assertTrue(s.rate(0, s.size()) < 1_194_600 * 0.99, "the mean keeps it");
    }

    @Test
    void smallNoiseIsStable() {
        Random r = new Random(1);
        assertTrue(intervalsUntilStable(new IntervalSeries(), 100, i -> 1_000_000 + r.nextInt(40_000)) > 0);
    }

    @Test
    void aSawtoothOfTwentyPercentOverTwoSecondsIsNot() {
        assertEquals(-1, intervalsUntilStable(new IntervalSeries(), 200,
                i -> 1_000_000 + (i % 20) * 10_000));
    }

    @Test
    void aSteadyRampIsNot() {
        assertEquals(-1, intervalsUntilStable(new IntervalSeries(), 200, i -> 1_000_000 + i * 20_000L));
    }

    @Test
    void anIdleLinkIsNotStable() {
        assertEquals(-1, intervalsUntilStable(new IntervalSeries(), 50, i -> 0));
    }

    @Test
    void lateTicksDoNotReadAsBursts() {
        IntervalSeries s = new IntervalSeries();
        for (int i = 0; i < 30; i++) {
            boolean late = i % 3 == 0;
            s.add(late ? 150_000 : 100_000, late ? 150_000_000L : NANOS);
        }
        assertTrue(rule.stable(s));
        assertEquals(1_000_000, rule.steadyBytesPerSecond(s, true), 1);
    }

    @Test
    void withoutStabilityTheFirstFifthOrSecondIsLeftOut() {
        IntervalSeries tenSeconds = series(100);
        assertEquals(20, rule.warmupIntervals(tenSeconds, false), "20 % of 10 s");
        assertEquals(10, rule.warmupIntervals(series(30), false), "at least 1 s");
        assertEquals(3, rule.warmupIntervals(series(7), false), "never more than half");
        assertEquals(0, rule.warmupIntervals(series(1), false));
        assertFalse(rule.stable(series(1)));
    }

    private static IntervalSeries series(int n) {
        IntervalSeries s = new IntervalSeries();
        for (int i = 0; i < n; i++) {
            s.add(1000, NANOS);
        }
        return s;
    }
}
