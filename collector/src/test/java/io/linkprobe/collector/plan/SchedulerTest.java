package io.linkprobe.collector.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The scheduler's promises, each checked on the simulation's timeline (an independent count of
 * what runs when), not on the scheduler's own books.
 */
class SchedulerTest {
    static final long H = 3_600_000;
    static final long START = 1_767_225_600_000L; // 2026-01-01T00:00Z

    static ScheduledTest test(String site, long every, long slot, double mbps) {
        return new ScheduledTest(site, TestKind.THROUGHPUT, every, slot, mbps);
    }

    static PoolMember hub(String name, int concurrent, double mbps) {
        return new PoolMember(name, name + ".example.net", 862, 9863, concurrent, mbps);
    }

    static void assertWithinLimits(Simulation.Result r) {
        for (Simulation.ResponderLoad load : r.responders()) {
            assertTrue(load.peakConcurrent() <= load.maxConcurrentTests(), load.toString());
            assertTrue(load.peakMbps() <= load.maxMbps() + 1e-3, load.toString());
        }
    }

    @Test
    void mixedSitesFitEveryResponderAtEveryInstantAndGetEveryTestTheyAsk() {
        List<PoolMember> pool = List.of(hub("a", 4, 1000), hub("b", 2, 500), hub("c", 1, 1000));
        List<ScheduledTest> tests = new ArrayList<>();
        double[] rates = {2, 8, 20, 40, 80, 0, 330, 900};
        long[] periods = {H, 4 * H, 8 * H};
        for (int i = 0; i < 1_500; i++) {
            tests.add(test(String.format("site-%04d", i), periods[i % 3], i % 2 == 0 ? 25_000 : 15_000, rates[i % rates.length]));
        }
        Schedule s = Scheduler.place(pool, tests, Schedule.EMPTY);
        Simulation.Result r = Simulation.run(pool, tests, s, START, 2);

        assertTrue(s.unplaced().isEmpty());
        assertEquals(1.0, s.stretch());
        assertWithinLimits(r);
        assertEquals(0, r.shortSites(), r.sites().get(0).toString());
        assertTrue(s.demandRatio() < 1, "demand " + s.demandRatio());
    }

    @Test
    void aSitesVideoTestTakesItsCallsRateOfTheResponderAndNeverOverlapsItsThroughputTest() {
        // One responder of 2 lanes and 20 Mbit/s: a video test of 8 calls × 1.2 Mbit/s = 9.6 Mbit/s
        // leaves room for one more such test at a time, not two; throughput tests of 10 Mbit/s
        // fit beside one video test only.
        List<PoolMember> pool = List.of(hub("a", 2, 20));
        List<ScheduledTest> tests = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            tests.add(test("s" + i, H, 25_000, 10));
            tests.add(new ScheduledTest("s" + i, TestKind.VIDEO, H, 45_000, 9.6));
        }
        Schedule s = Scheduler.place(pool, tests, Schedule.EMPTY);
        Simulation.Result r = Simulation.run(pool, tests, s, START, 1);
        assertTrue(s.unplaced().isEmpty());
        assertWithinLimits(r);
        assertEquals(0, r.shortSites());
        for (int i = 0; i < 40; i++) {
            Slot t = s.slot("s" + i, TestKind.THROUGHPUT).orElseThrow();
            Slot v = s.slot("s" + i, TestKind.VIDEO).orElseThrow();
            // Disjoint on the circle of one period: each starts after the other has ended.
            assertTrue(Math.floorMod(v.offsetMillis() - t.offsetMillis(), H) >= t.slotMillis()
                    && Math.floorMod(t.offsetMillis() - v.offsetMillis(), H) >= v.slotMillis(), "site s" + i + ": " + t + " and " + v);
        }
    }

    @Test
    void overCapacityStretchesEveryPeriodByOneFactorAndLeavesNoSiteUntested() {
        List<PoolMember> pool = List.of(hub("only", 1, 1000));
        List<ScheduledTest> tests = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            tests.add(test("s" + i, 4 * H, 25_000, 0));
        }
        Schedule s = Scheduler.place(pool, tests, Schedule.EMPTY);
        Simulation.Result r = Simulation.run(pool, tests, s, START, 3);

        assertEquals(1_000 * 25_000.0 / (4 * H), s.demandRatio(), 1e-9);
        assertTrue(s.unplaced().isEmpty());
        assertTrue(s.stretch() >= s.demandRatio() && s.stretch() < s.demandRatio() * 1.1, "stretch " + s.stretch());
        Set<Long> periods = new HashSet<>();
        s.slots().values().forEach(slot -> periods.add(slot.everyMillis()));
        assertEquals(1, periods.size(), "one common period: " + periods);
        assertWithinLimits(r);
        assertEquals(1_000, r.shortSites(), "every site gets fewer tests than asked, as stretching says");
        assertTrue(r.sites().stream().allMatch(t -> t.received() >= 10), "but none is starved: " + r.sites().get(0));
    }

    @Test
    void slotsStayPutWhenSitesAreAddedAndTheSameInputGivesTheSameSchedule() {
        List<PoolMember> pool = List.of(hub("a", 2, 1000), hub("b", 2, 1000));
        List<ScheduledTest> tests = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            tests.add(test("s" + i, 4 * H, 25_000, i % 5 == 0 ? 0 : 10 + i % 90));
        }
        Schedule before = Scheduler.place(pool, tests, Schedule.EMPTY);
        assertEquals(before, Scheduler.place(pool, tests, Schedule.EMPTY), "deterministic");

        List<ScheduledTest> more = new ArrayList<>(tests);
        for (int i = 600; i < 700; i++) {
            more.add(test("s" + i, 4 * H, 25_000, 50));
        }
        Schedule after = Scheduler.place(pool, more, before);
        for (ScheduledTest t : tests) {
            assertEquals(before.slots().get(t.key()), after.slots().get(t.key()), t.site());
        }
        assertEquals(700, after.slots().size());
        assertWithinLimits(Simulation.run(pool, more, after, START, 1));
    }

    @Test
    void sitesAreSpreadOverThePeriodNotStackedAtItsStart() {
        List<PoolMember> pool = List.of(hub("big", 100, 100_000));
        List<ScheduledTest> tests = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            tests.add(test("gp-" + i, 4 * H, 25_000, 10));
        }
        Schedule s = Scheduler.place(pool, tests, Schedule.EMPTY);
        Set<Long> offsets = new HashSet<>();
        s.slots().values().forEach(slot -> offsets.add(slot.offsetMillis()));
        assertTrue(offsets.size() > 150, offsets.size() + " distinct start times for 200 sites");
    }

    @Test
    void aRateLimitHoldsEvenWhenLanesAreFree() {
        List<PoolMember> pool = List.of(hub("hub", 4, 100));
        List<ScheduledTest> tests = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            tests.add(test("fttp-" + i, 4 * H, 15_000, 60));
            tests.add(test("unknown-" + i, 4 * H, 15_000, 0));
        }
        Schedule s = Scheduler.place(pool, tests, Schedule.EMPTY);
        Simulation.Result r = Simulation.run(pool, tests, s, START, 1);

        assertWithinLimits(r);
        assertEquals(0, r.shortSites());
        Simulation.ResponderLoad load = r.responders().get(0);
        assertTrue(load.peakMbps() <= 100 && load.peakMbps() >= 75, "60 + a 25 Mbit/s lane fit, two 60s do not: " + load);
    }

    @Test
    void unrelatedPeriodsShareAWeekLongCycleAndStillGetEveryTestAsked() {
        List<PoolMember> pool = List.of(hub("hub", 3, 1000));
        long[] periods = {7 * 60_000, 11 * 60_000, 13 * H, 5 * 24 * H, 17 * H};
        List<ScheduledTest> tests = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            tests.add(test("odd-" + i, periods[i % periods.length], 15_000, 20));
        }
        Schedule s = Scheduler.place(pool, tests, Schedule.EMPTY);
        Simulation.Result r = Simulation.run(pool, tests, s, START, 7);

        assertTrue(s.cycleMillis() <= 7 * 24 * H, "cycle " + s.cycleMillis());
        assertTrue(s.unplaced().isEmpty());
        assertWithinLimits(r);
        assertEquals(0, r.shortSites(), r.sites().get(0).toString());
    }
}
