package io.linkprobe.agent.runtime;

import io.linkprobe.agent.config.TargetConfig;
import io.linkprobe.agent.plan.Slot;
import io.linkprobe.agent.probe.ProbeResult;
import io.linkprobe.agent.probe.Prober;
import io.linkprobe.agent.probe.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link Schedule.Budgeted} prober towards one target, again and again: each run
 * schedules the next, whatever happens to it, so the loop never stops until {@link #stop()}.
 *
 * <p>Two timings. With a {@link Slot} (the collector's plan reserved one on its responder) every
 * test starts at a slot start read from the wall clock, and nothing moves it: a busy answer, a
 * skipped test or a failure waits for the next slot, since any other moment is another site's.
 * Without one ({@code agent.yml}'s own schedule) the first test comes at a random moment in the
 * first-delay window, each next one a period with random slip later, and a busy far end is retried
 * within the busy window.
 *
 * <p>Tests that load the line (throughput, video) take turns: a test due while another of this
 * agent runs is handled as after a busy answer (the next slot, or a retry within the busy window),
 * since each would spoil the other's figures.
 */
final class TestLoop {
    private static final Logger log = LoggerFactory.getLogger(TestLoop.class);
    /** A timer this much ahead of the wall clock waits the rest: the slot is wall-clock time. */
    static final long EARLY_TOLERANCE_MILLIS = 20;
    /**
     * A slotted test that could not start within this of its slot start (the host was suspended,
     * the clock stepped) waits for the next slot rather than run in another site's: one slot grid
     * cell of the collector's scheduler.
     */
    static final long LATE_TOLERANCE_MILLIS = 5_000;

    private final Prober prober;
    private final TargetConfig target;
    private final Schedule.Budgeted schedule;
    private final Slot slot;
    private final DailyBudget budget;
    private final ScheduledExecutorService scheduler;
    private final Consumer<ProbeResult> sink;
    private final LongSupplier wallClockMillis;
    private volatile boolean stopped;
    private ScheduledFuture<?> pending;
    private final AtomicBoolean lineInUse;
    /** Slotted: the slot start the pending run is for. */
    private long slotStartMillis;

    /**
     * @param slot the collector's slot for these tests; null for {@code agent.yml}'s own timing
     * @param budget shared by every target of the prober's kind
     * @param lineInUse shared by every budgeted test of the agent: set while one runs
     */
    TestLoop(Prober prober, TargetConfig target, Schedule.Budgeted schedule, Slot slot, DailyBudget budget,
             ScheduledExecutorService scheduler, Consumer<ProbeResult> sink, LongSupplier wallClockMillis,
             AtomicBoolean lineInUse) {
        this.lineInUse = lineInUse;
        this.prober = prober;
        this.target = target;
        this.schedule = schedule;
        this.slot = slot;
        this.budget = budget;
        this.scheduler = scheduler;
        this.sink = sink;
        this.wallClockMillis = wallClockMillis;
    }

    void start() {
        if (slot != null) {
            runInSlotAtOrAfter(wallClockMillis.getAsLong());
        } else {
            runIn(between(schedule.firstDelayMin(), schedule.firstDelayMax()));
        }
    }

    /**
     * No further test starts; one running now finishes and its results are filed. Called when the
     * plan moves or removes this test.
     */
    synchronized void stop() {
        stopped = true;
        if (pending != null) {
            pending.cancel(false);
        }
    }

    private synchronized void runIn(Duration delay) {
        if (!stopped) {
            pending = scheduler.schedule(this::run, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void runInSlotAtOrAfter(long notBeforeMillis) {
        long now = wallClockMillis.getAsLong();
        slotStartMillis = slot.nextStartAtOrAfter(Math.max(now, notBeforeMillis));
        runIn(Duration.ofMillis(slotStartMillis - now));
    }

    /** The next run after this one: the next slot, or a period with slip (a busy far end: soon, with jitter). */
    private void next(boolean busy) {
        if (slot != null) {
            runInSlotAtOrAfter(slotStartMillis + 1);
        } else {
            runIn(busy ? between(schedule.busyRetryMin(), schedule.busyRetryMax()) : slipped());
        }
    }

    private void run() {
        if (stopped) {
            return;
        }
        if (slot != null && !inSlot()) {
            return;
        }
        if (!budget.allows(schedule.bytesPerTest(), schedule.maxBytesPerDay(), schedule.siteMaxBytesPerDay())) {
            log.warn("Skipping the {} test to '{}': its daily budget of {} bytes (or the site's {} for all tests) is used up",
                    prober.kind().wireName(), target.name(), schedule.maxBytesPerDay(), schedule.siteMaxBytesPerDay());
            next(false);
            return;
        }
        if (!lineInUse.compareAndSet(false, true)) {
            log.info("The {} test to '{}' waits: another test of this agent is loading the line",
                    prober.kind().wireName(), target.name());
            next(true);
            return;
        }
        CompletionStage<ProbeResult> test;
        try {
            test = prober.probe(target, deadline());
        } catch (RuntimeException e) {
            lineInUse.set(false);
            log.error("The {} test to '{}' could not start", prober.kind().wireName(), target.name(), e);
            next(false);
            return;
        }
        // Exactly one of the test's end and the watchdog schedules the next run.
        AtomicBoolean nextScheduled = new AtomicBoolean();
        ScheduledFuture<?> watchdog = scheduler.schedule(() -> {
            if (nextScheduled.compareAndSet(false, true)) {
                log.warn("The {} test to '{}' has not finished after {} s; the next is scheduled, and its results "
                        + "are filed if it still finishes", prober.kind().wireName(), target.name(),
                        schedule.timeout().toSeconds());
                next(false);
            }
        }, schedule.timeout().toMillis(), TimeUnit.MILLISECONDS);
        test.whenComplete((result, error) -> {
            lineInUse.set(false); // only now: a stuck test still loads the line after its watchdog
            watchdog.cancel(false);
            boolean busy = afterTest(result, error);
            if (nextScheduled.compareAndSet(false, true)) {
                next(busy);
            }
        });
    }

    /**
     * When the test must end: a slotted one by the end of its reservation on the responder, where the
     * collector stated it (the next site's test may start then), otherwise within its timeout.
     */
    private Instant deadline() {
        if (slot != null && slot.lengthMillis() > 0) {
            return Instant.ofEpochMilli(slotStartMillis + slot.lengthMillis());
        }
        return Instant.now().plus(schedule.timeout());
    }

    /**
     * Slotted: whether the wall clock is at the slot start. A timer ahead of the wall clock (it runs
     * on the monotonic clock) waits the rest; one too late for the slot gives it up.
     */
    private synchronized boolean inSlot() {
        long now = wallClockMillis.getAsLong();
        if (slotStartMillis - now > EARLY_TOLERANCE_MILLIS) {
            runIn(Duration.ofMillis(slotStartMillis - now));
            return false;
        }
        if (now - slotStartMillis > LATE_TOLERANCE_MILLIS) {
            log.warn("The {} test to '{}' missed its slot at {} by {} s (the host was suspended or its clock moved); "
                    + "the next test runs in the next slot", prober.kind().wireName(), target.name(),
                    Instant.ofEpochMilli(slotStartMillis), (now - slotStartMillis) / 1000);
            runInSlotAtOrAfter(now);
            return false;
        }
        return true;
    }

    /** Files a finished test's results; says whether the far end turned it away as busy. */
    private boolean afterTest(ProbeResult result, Throwable error) {
        if (error != null) {
            log.error("The {} test to '{}' failed", prober.kind().wireName(), target.name(), error);
            return false;
        }
        try {
            sink.accept(result);
            budget.used(result.bytesUsed());
        } catch (RuntimeException e) {
            log.error("Filing the {} results of '{}' failed", prober.kind().wireName(), target.name(), e);
            return false;
        }
        if (result.busy() && slot != null) {
            // The collector scheduled this slot for us alone: another agent's clock is off, or the
            // responder admits fewer tests than the fleet file says. Counted at the collector.
            log.warn("The {} test to '{}' was turned away as busy in its own slot; the next test runs in the next slot",
                    prober.kind().wireName(), target.name());
        }
        return result.busy();
    }

    /** The period with its random slip, which keeps sites that once collided from colliding every period. */
    private Duration slipped() {
        double slip = schedule.slipFraction();
        double factor = slip > 0 ? ThreadLocalRandom.current().nextDouble(1 - slip, 1 + slip) : 1;
        return Duration.ofMillis((long) (schedule.every().toMillis() * factor));
    }

    private static Duration between(Duration min, Duration max) {
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(min.toMillis(), max.toMillis() + 1));
    }
}
