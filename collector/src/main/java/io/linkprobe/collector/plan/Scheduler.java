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
 * stay within its {@code max_mbps}, and so that no two tests of one site (its throughput and
 * video tests) overlap: its agent loads its line with one test at a time.
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
    private static final double STRETCH_STEP = 1.1;
    private static final int REFINE_STEPS = 6;
    static final double EPSILON = 1e-6;

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
            double share = (double) Periods.lengthCells(t) / Math.max(Periods.baseCells(t), Periods.lengthCells(t));
            laneDemand += share;
            mbpsDemand += share * (t.mbps() > 0 ? Math.min(t.mbps(), widest) : averageLane);
        }
        return new Demand(laneDemand / lanes, mbpsDemand / mbps);
    }

    /** One placement of every test with all periods stretched by one factor. */
    private static final class Attempt {
        final int cycle;
        final double stretch;
        final boolean packed;
        final LaneLoad[] loads;
        final Map<ScheduledTest.Key, Slot> slots = new TreeMap<>();
        /** Per site, the cells of the cycle its placed tests hold: a site runs one test at a time. */
        final Map<String, boolean[]> siteCells = new HashMap<>();
        final List<ScheduledTest> unplaced = new ArrayList<>();
        final boolean atLongestPeriod;

        private Attempt(List<PoolMember> pool, int cycle, double stretch, boolean packed, boolean atLongestPeriod) {
            this.cycle = cycle;
            this.stretch = stretch;
            this.packed = packed;
            this.atLongestPeriod = atLongestPeriod;
            this.loads = new LaneLoad[pool.size()];
            for (int i = 0; i < loads.length; i++) {
                loads[i] = new LaneLoad(pool.get(i), cycle);
            }
        }

        static Attempt run(List<PoolMember> pool, List<ScheduledTest> tests, double stretch, boolean packed,
                Schedule previous) {
            int[] periods = Periods.of(tests, stretch);
            long cycle = 1;
            boolean longest = true;
            for (int p : periods) {
                cycle = Periods.lcm(cycle, p);
                longest &= p == Periods.WEEK_CELLS;
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
                    .thenComparingInt(i -> -Periods.lengthCells(tests.get(i)))
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

        private boolean keep(ScheduledTest t, int period, Slot before, Map<String, Integer> byName) {
            long cell = Periods.CELL;
            if (before == null || before.everyMillis() != period * cell || before.slotMillis() != Periods.lengthCells(t) * cell
                    || before.offsetMillis() % cell != 0 || !byName.containsKey(before.responder())) {
                return false;
            }
            int offset = (int) (before.offsetMillis() / cell);
            LaneLoad load = loads[byName.get(before.responder())];
            double rate = load.responder.rateOf(t.mbps());
            if (offset >= period || load.conflict(offset, period, Periods.lengthCells(t), rate, siteCells.get(t.site())) >= 0) {
                return false;
            }
            take(t, load, offset, period, rate);
            return true;
        }

        private void placeNew(ScheduledTest t, int period) {
            int len = Periods.lengthCells(t);
            int spread = spread(t.key());
            Integer[] order = new Integer[loads.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> loads[i].fraction())
                    .thenComparingInt(i -> Math.floorMod(i - spread, loads.length)));
            for (int i : order) {
                LaneLoad load = loads[i];
                double rate = load.responder.rateOf(t.mbps());
                int offset = load.firstFit(start(spread, period, len), period, len, rate, siteCells.get(t.site()));
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

        private void take(ScheduledTest t, LaneLoad load, int offset, int period, double rate) {
            load.add(offset, period, Periods.lengthCells(t), rate);
            boolean[] busy = siteCells.computeIfAbsent(t.site(), s -> new boolean[cycle]);
            for (int start = offset; start < cycle; start += period) {
                for (int j = 0; j < Periods.lengthCells(t); j++) {
                    busy[(start + j) % cycle] = true;
                }
            }
            long cell = Periods.CELL;
            slots.put(t.key(), new Slot(load.responder.name(), offset * cell, period * cell, Periods.lengthCells(t) * cell,
                    (double) (period * cell) / t.everyMillis()));
        }

        /** The stretch reported is the largest any test got (rounding to the grid and the cycle adds to the factor tried). */
        Schedule schedule(double demand) {
            double worst = 1.0;
            if (stretch > 1.0) {
                for (Slot slot : slots.values()) {
                    worst = Math.max(worst, slot.stretch());
                }
            }
            return new Schedule(slots, demand, worst, unplaced, cycle * Periods.CELL);
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

}
