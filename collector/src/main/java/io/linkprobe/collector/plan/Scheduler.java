package io.linkprobe.collector.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Places every site's recurring tests on the responder pool so that no responder ever runs more
 * than its {@code max_concurrent_tests} at once and the summed rates of the tests it runs at once
 * stay within its {@code max_mbps}.
 *
 * <p>Time is cut into {@link SlotGrid#GRID_MILLIS} cells, anchored at the Unix epoch. A test of
 * period {@code p} cells and length {@code l} cells at offset {@code o} holds cells
 * {@code o + k·p … o + k·p + l − 1} for every {@code k}; the pattern repeats every cycle {@code H},
 * the least common multiple of the periods, so each responder's load is an array over one cycle.
 * When that cycle would exceed a week (unrelated periods), periods are rounded to divisors of a
 * day or of a week, down (more tests, never fewer) unless stretched.
 *
 * <p>Placement is greedy and deterministic. A test keeps its previous responder and offset when
 * they still fit (sticky across reloads: a site's test time does not move because another site was
 * added). The others go, largest first, to the least loaded responder that has room, at the first
 * offset that fits starting from a hash of the site id (spread over the period). When not every
 * test fits spread out, they are packed tightly from the start of the period; when even that
 * fails, every period is stretched by one common factor, the smallest found that places them all,
 * rather than leaving some sites untested.
 */
public final class Scheduler {
    static final long CELL = SlotGrid.GRID_MILLIS;
    static final int DAY_CELLS = (int) (86_400_000L / CELL);
    static final int WEEK_CELLS = 7 * DAY_CELLS;
    private static final int[] DAY_DIVISORS = divisors(DAY_CELLS);
    private static final int[] WEEK_DIVISORS = divisors(WEEK_CELLS);
    private static final double STRETCH_STEP = 1.1;
    private static final int REFINE_STEPS = 6;
    private static final double EPSILON = 1e-6;

    private Scheduler() {}

    /**
     * @param previous the schedule in force, whose slots are kept where they still fit
     */
    public static Schedule place(List<PoolMember> pool, List<ScheduledTest> tests, Schedule previous) {
        if (tests.isEmpty()) {
            return Schedule.EMPTY;
        }
        List<ScheduledTest> ordered = new ArrayList<>(tests);
        ordered.sort(Comparator.comparing(ScheduledTest::key));
        double demand = demandRatio(pool, ordered);
        if (pool.isEmpty()) {
            return new Schedule(Map.of(), demand, 1.0, ordered, 0);
        }
        Attempt attempt = Attempt.run(pool, ordered, 1.0, false, previous);
        if (attempt.unplaced.isEmpty()) {
            return attempt.schedule(demand);
        }
        attempt = Attempt.run(pool, ordered, 1.0, true, previous);
        if (attempt.unplaced.isEmpty()) {
            return attempt.schedule(demand);
        }
        double failed = 1.0;
        double stretch = Math.max(demand, 1.0) * 1.01;
        Attempt placed = null;
        while (placed == null) {
            attempt = Attempt.run(pool, ordered, stretch, true, previous);
            if (attempt.unplaced.isEmpty()) {
                placed = attempt;
            } else if (attempt.atLongestPeriod) {
                return attempt.schedule(demand);
            } else {
                failed = stretch;
                stretch *= STRETCH_STEP;
            }
        }
        double good = stretch;
        for (int i = 0; i < REFINE_STEPS; i++) {
            double mid = (failed + good) / 2;
            attempt = Attempt.run(pool, ordered, mid, true, previous);
            if (attempt.unplaced.isEmpty()) {
                placed = attempt;
                good = mid;
            } else {
                failed = mid;
            }
        }
        return placed.schedule(demand);
    }

    /**
     * Scheduled test-seconds ÷ available test-seconds per unit of time, before stretching: the
     * larger of the concurrency dimension (lanes) and the bandwidth dimension (Mbit/s). A test of
     * unknown rate counts as an average lane of the pool.
     */
    static double demandRatio(List<PoolMember> pool, List<ScheduledTest> tests) {
        Demand d = demand(pool, tests);
        return Math.max(d.lanes(), d.bandwidth());
    }

    /** The test demand on the pool in each dimension, as fractions of what it offers. */
    public record Demand(double lanes, double bandwidth) {}

    /** {@link #demandRatio}'s two dimensions. */
    public static Demand demand(List<PoolMember> pool, List<ScheduledTest> tests) {
        double lanes = 0;
        double mbps = 0;
        double widest = 0;
        for (PoolMember r : pool) {
            lanes += r.maxConcurrentTests();
            mbps += r.maxMbps();
            widest = Math.max(widest, r.maxMbps());
        }
        if (lanes == 0) {
            return new Demand(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);
        }
        double averageLane = mbps / lanes;
        double laneDemand = 0;
        double mbpsDemand = 0;
        for (ScheduledTest t : tests) {
            double share = (double) lengthCells(t) / Math.max(baseCells(t), lengthCells(t));
            laneDemand += share;
            mbpsDemand += share * (t.mbps() > 0 ? Math.min(t.mbps(), widest) : averageLane);
        }
        return new Demand(laneDemand / lanes, mbpsDemand / mbps);
    }

    static int baseCells(ScheduledTest t) {
        return (int) Math.max(1, Math.min(WEEK_CELLS, t.everyMillis() / CELL));
    }

    static int lengthCells(ScheduledTest t) {
        return (int) ((t.slotMillis() + CELL - 1) / CELL);
    }

    /** One placement of every test with all periods stretched by one factor. */
    private static final class Attempt {
        final int cycle;
        final double stretch;
        final boolean packed;
        final Load[] loads;
        final Map<ScheduledTest.Key, Slot> slots = new TreeMap<>();
        final List<ScheduledTest> unplaced = new ArrayList<>();
        final boolean atLongestPeriod;

        private Attempt(List<PoolMember> pool, int cycle, double stretch, boolean packed, boolean atLongestPeriod) {
            this.cycle = cycle;
            this.stretch = stretch;
            this.packed = packed;
            this.atLongestPeriod = atLongestPeriod;
            this.loads = new Load[pool.size()];
            for (int i = 0; i < loads.length; i++) {
                loads[i] = new Load(pool.get(i), cycle);
            }
        }

        static Attempt run(List<PoolMember> pool, List<ScheduledTest> tests, double stretch, boolean packed,
                Schedule previous) {
            int[] periods = periods(tests, stretch);
            long cycle = 1;
            boolean longest = true;
            for (int p : periods) {
                cycle = lcm(cycle, p);
                longest &= p == WEEK_CELLS;
            }
            Attempt a = new Attempt(pool, (int) cycle, stretch, packed, longest);
            Map<String, Integer> byName = new HashMap<>();
            for (int i = 0; i < pool.size(); i++) {
                byName.put(pool.get(i).name(), i);
            }
            List<Integer> rest = new ArrayList<>();
            for (int i = 0; i < tests.size(); i++) {
                if (!a.keep(tests.get(i), periods[i], previous.slots().get(tests.get(i).key()), byName)) {
                    rest.add(i);
                }
            }
            rest.sort(Comparator.<Integer>comparingDouble(i -> -weight(tests.get(i)))
                    .thenComparingInt(i -> -lengthCells(tests.get(i)))
                    .thenComparingInt(i -> periods[i])
                    .thenComparing(i -> tests.get(i).key()));
            for (int i : rest) {
                a.placeNew(tests.get(i), periods[i]);
            }
            return a;
        }

        private static double weight(ScheduledTest t) {
            return t.mbps() > 0 ? t.mbps() : Double.MAX_VALUE;
        }

        /**
         * Each test's period in cells: as asked, or stretched by at least {@code stretch} keeping the
         * periods' ratios (so 4h and 8h stretch to p and 2p, not to two unrelated periods); no
         * shorter than its slot; rounded to share a cycle of at most a week.
         */
        private static int[] periods(List<ScheduledTest> tests, double stretch) {
            int[] periods = new int[tests.size()];
            long unit = 0;
            for (ScheduledTest t : tests) {
                unit = gcd(unit, baseCells(t));
            }
            long stretchedUnit = (long) Math.ceil(unit * stretch - EPSILON);
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

        private boolean keep(ScheduledTest t, int period, Slot before, Map<String, Integer> byName) {
            if (before == null || before.everyMillis() != period * CELL || before.slotMillis() != lengthCells(t) * CELL
                    || before.offsetMillis() % CELL != 0 || !byName.containsKey(before.responder())) {
                return false;
            }
            int offset = (int) (before.offsetMillis() / CELL);
            Load load = loads[byName.get(before.responder())];
            double rate = load.responder.rateOf(t.mbps());
            if (offset >= period || load.conflict(offset, period, lengthCells(t), rate) >= 0) {
                return false;
            }
            take(t, load, offset, period, rate);
            return true;
        }

        private void placeNew(ScheduledTest t, int period) {
            int len = lengthCells(t);
            int spread = spread(t.key());
            Integer[] order = new Integer[loads.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> loads[i].fraction())
                    .thenComparingInt(i -> Math.floorMod(i - spread, loads.length)));
            for (int i : order) {
                Load load = loads[i];
                double rate = load.responder.rateOf(t.mbps());
                int offset = load.firstFit(start(spread, period, len), period, len, rate);
                if (offset >= 0) {
                    take(t, load, offset, period, rate);
                    return;
                }
            }
            unplaced.add(t);
        }

        /**
         * Where the search for a free offset starts. Spread: at a hash of the site, on a multiple
         * of the slot's length, so that equal slots tile the period without slivers between them.
         * Packed (when spreading left no room): at 0, because every sliver is capacity.
         */
        private int start(int spread, int period, int len) {
            return packed ? 0 : Math.floorMod(spread, Math.max(1, period / len)) * len;
        }

        private void take(ScheduledTest t, Load load, int offset, int period, double rate) {
            load.add(offset, period, lengthCells(t), rate);
            slots.put(t.key(), new Slot(load.responder.name(), offset * CELL, period * CELL, lengthCells(t) * CELL,
                    (double) (period * CELL) / t.everyMillis()));
        }

        /** The stretch reported is the largest any test got (rounding to the grid and the cycle adds to the factor tried). */
        Schedule schedule(double demand) {
            double worst = 1.0;
            if (stretch > 1.0) {
                for (Slot slot : slots.values()) {
                    worst = Math.max(worst, slot.stretch());
                }
            }
            return new Schedule(slots, demand, worst, unplaced, cycle * CELL);
        }
    }

    /** One responder's tests over one cycle: how many run and at what summed rate, per cell. */
    private static final class Load {
        final PoolMember responder;
        final int cycle;
        final int[] running;
        final double[] mbps;
        long usedCells;

        Load(PoolMember responder, int cycle) {
            this.responder = responder;
            this.cycle = cycle;
            this.running = new int[cycle];
            this.mbps = new double[cycle];
        }

        double fraction() {
            return (double) usedCells / ((double) cycle * responder.maxConcurrentTests());
        }

        /** -1 if a test fits at {@code offset}; else the index within the slot of the first full cell. */
        int conflict(int offset, int period, int len, double rate) {
            for (int start = offset; start < cycle; start += period) {
                for (int j = 0; j < len; j++) {
                    int c = start + j;
                    if (c >= cycle) {
                        c -= cycle;
                    }
                    if (running[c] >= responder.maxConcurrentTests() || mbps[c] + rate > responder.maxMbps() + EPSILON) {
                        return j;
                    }
                }
            }
            return -1;
        }

        /**
         * The first offset from {@code from} (wrapping within the period) where the test fits, or -1.
         * A full cell at index j of the slot is inside every offset up to j later, so those are skipped.
         */
        int firstFit(int from, int period, int len, double rate) {
            int offset = from;
            for (int tried = 0; tried < period; ) {
                int j = conflict(offset, period, len, rate);
                if (j < 0) {
                    return offset;
                }
                offset = (offset + j + 1) % period;
                tried += j + 1;
            }
            return -1;
        }

        void add(int offset, int period, int len, double rate) {
            for (int start = offset; start < cycle; start += period) {
                for (int j = 0; j < len; j++) {
                    int c = start + j;
                    if (c >= cycle) {
                        c -= cycle;
                    }
                    running[c]++;
                    mbps[c] += rate;
                }
            }
            usedCells += (long) (cycle / period) * len;
        }
    }

    /** A well-mixed hash of the key, so that similar site ids land far apart in the period. */
    static int spread(ScheduledTest.Key key) {
        int h = key.site().hashCode() * 31 + key.kind().ordinal();
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h & 0x7fffffff;
    }

    /** Both at most a week of cells, so the product cannot overflow. */
    private static long lcm(long a, long b) {
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
