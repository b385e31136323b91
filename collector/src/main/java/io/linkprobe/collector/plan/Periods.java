package io.linkprobe.collector.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Test periods on the slot grid: each test's period in grid cells, as asked or stretched, rounded
 * where needed so that all periods share a cycle of at most a week (the scheduler keeps one load
 * array per responder over that cycle).
 */
final class Periods {
    static final long CELL = SlotGrid.GRID_MILLIS;
    static final int DAY_CELLS = (int) (86_400_000L / CELL);
    static final int WEEK_CELLS = 7 * DAY_CELLS;
    private static final int[] DAY_DIVISORS = divisors(DAY_CELLS);
    private static final int[] WEEK_DIVISORS = divisors(WEEK_CELLS);

    private Periods() {}

    static int baseCells(ScheduledTest t) {
        return (int) Math.max(1, Math.min(WEEK_CELLS, t.everyMillis() / CELL));
    }

    static int lengthCells(ScheduledTest t) {
        return (int) ((t.slotMillis() + CELL - 1) / CELL);
    }

    /**
     * Each test's period in cells: as asked, or stretched by at least {@code stretch} keeping the
     * periods' ratios (so 4h and 8h stretch to p and 2p, not to two unrelated periods); no
     * shorter than its slot; rounded to share a cycle of at most a week.
     */
    static int[] of(List<ScheduledTest> tests, double stretch) {
        int[] periods = new int[tests.size()];
        long unit = 0;
        for (ScheduledTest t : tests) {
            unit = gcd(unit, baseCells(t));
        }
        long stretchedUnit = (long) Math.ceil(unit * stretch - Scheduler.EPSILON);
        long cycle = 1;
        for (int i = 0; i < periods.length; i++) {
            ScheduledTest t = tests.get(i);
            long p = stretch == 1.0 ? baseCells(t) : baseCells(t) / unit * stretchedUnit;
            periods[i] = (int) Math.min(WEEK_CELLS, Math.max(p, lengthCells(t)));
            if (cycle <= WEEK_CELLS) {
                cycle = lcm(cycle, periods[i]);
            }
        }
        if (cycle > WEEK_CELLS) {
            for (int i = 0; i < periods.length; i++) {
                int[] divisors = periods[i] <= DAY_CELLS ? DAY_DIVISORS : WEEK_DIVISORS;
                int len = lengthCells(tests.get(i));
                int down = atMost(divisors, periods[i]);
                periods[i] = stretch == 1.0 && down >= len ? down : atLeast(divisors, Math.max(periods[i], len));
            }
        }
        return periods;
    }

    /** Both at most a week of cells, so the product cannot overflow. */
    static long lcm(long a, long b) {
        return a / gcd(a, b) * b;
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    private static int[] divisors(int n) {
        List<Integer> out = new ArrayList<>();
        for (int d = 1; d <= n; d++) {
            if (n % d == 0) {
                out.add(d);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int atMost(int[] sorted, int value) {
        int i = Arrays.binarySearch(sorted, value);
        return i >= 0 ? sorted[i] : sorted[Math.max(0, -i - 2)];
    }

    private static int atLeast(int[] sorted, int value) {
        int i = Arrays.binarySearch(sorted, value);
        return i >= 0 ? sorted[i] : sorted[Math.min(sorted.length - 1, -i - 1)];
    }
}
