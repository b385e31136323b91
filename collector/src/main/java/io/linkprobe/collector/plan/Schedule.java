package io.linkprobe.collector.plan;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The scheduler's answer: a slot for every test it could place.
 *
 * @param demandRatio scheduled test-seconds ÷ the pool's available test-seconds, per period and
 *     before stretching, the larger of the concurrency and the bandwidth dimension; above 1 the
 *     pool cannot carry the fleet's schedule as asked
 * @param stretch the one factor every period was stretched by to place every test (1.0 when none)
 * @param unplaced tests that found no slot even stretched (the pool is far too small); their sites
 *     get no scheduled throughput test
 * @param cycleMillis the cycle over which the slots repeat (the periods' least common multiple)
 */
public record Schedule(Map<ScheduledTest.Key, Slot> slots, double demandRatio, double stretch,
        List<ScheduledTest> unplaced, long cycleMillis) {
    public static final Schedule EMPTY = new Schedule(Map.of(), 0, 1.0, List.of(), 0);

    public Schedule {
        slots = Map.copyOf(slots);
        unplaced = List.copyOf(unplaced);
    }

    public Optional<Slot> slot(String site, TestKind kind) {
        return Optional.ofNullable(slots.get(new ScheduledTest.Key(site, kind)));
    }
}
