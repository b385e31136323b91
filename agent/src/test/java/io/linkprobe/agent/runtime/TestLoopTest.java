package io.linkprobe.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.agent.config.TargetConfig;
import io.linkprobe.agent.plan.Slot;
import io.linkprobe.agent.probe.ProbeResult;
import io.linkprobe.agent.probe.Prober;
import io.linkprobe.agent.probe.Schedule;
import io.linkprobe.common.wire.AgentHealth;
import io.linkprobe.common.wire.Sample;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The schedule of expensive tests: first spread, slip, busy retry, daily budget, and a loop that
 * never stops; or, with a slot from the plan, every test at a slot start and nothing moving it.
 */
class TestLoopTest {
    private static final TargetConfig HUB = new TargetConfig("hub", "127.0.0.1", 0, 9863, 1);
    private static final Duration EVERY = Duration.ofHours(4);
    private static final Schedule.Budgeted SCHEDULE = new Schedule.Budgeted(EVERY, 0.1, Duration.ofMinutes(24),
            EVERY, Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofMinutes(2), 0, 0);

    private final RecordingScheduler scheduler = new RecordingScheduler();
    private final ScriptedProber prober = new ScriptedProber();
    private final List<ProbeResult> filed = new ArrayList<>();
    private final AtomicBoolean lineInUse = new AtomicBoolean();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    /** The wall clock the loop reads; tests move it. */
    private final AtomicLong wallClock = new AtomicLong(1_700_000_000_000L);

    private TestLoop loop(Schedule.Budgeted schedule) {
        return new TestLoop(prober, HUB, schedule, null, new DailyBudget(), scheduler, filed::add, wallClock::get,
                lineInUse);
    }

    private TestLoop slotted(Slot slot) {
        return new TestLoop(prober, HUB, SCHEDULE, slot, new DailyBudget(), scheduler, filed::add, wallClock::get,
                lineInUse);
    }

    /** Runs the next task as the timer would: the wall clock has moved on by its delay. */
    private void advanceAndRun(RecordingScheduler.Task task) {
        wallClock.addAndGet(task.delay().toMillis());
        task.run();
    }

    private static ProbeResult result(long bytes, boolean busy) {
        return new ProbeResult(List.of(new AgentHealth(1, 0, 0, 0, 0, 0)), bytes, busy);
    }

    private static void assertBetween(Duration min, Duration max, Duration actual) {
        assertTrue(actual.compareTo(min) >= 0 && actual.compareTo(max) <= 0, actual + " not in " + min + ".." + max);
    }

    @Test
    void theFirstTestIsSpreadOverTheConfiguredWindowAndTheNextComesAPeriodWithSlipLater() {
        loop(SCHEDULE).start();
        RecordingScheduler.Task first = scheduler.next();
        assertBetween(Duration.ofMinutes(24), EVERY, first.delay());
        prober.answers.add(CompletableFuture.completedFuture(result(100, false)));
        first.run();
        assertEquals(1, prober.calls);
        assertEquals(1, filed.size());
        assertBetween(EVERY.multipliedBy(9).dividedBy(10), EVERY.multipliedBy(11).dividedBy(10), scheduler.next().delay());
        assertEquals(0, scheduler.pending(), "the watchdog of a finished test is cancelled");
    }

    @Test
    void aTestDueWhileAnotherLoadsTheLineWaitsAsIfBusyAndTheLineIsFreedWhenItEnds() {
        loop(SCHEDULE).start();
        lineInUse.set(true); // say, a throughput test of the same agent is running
        scheduler.next().run();
        assertEquals(0, prober.calls, "not run on top of the other test");
        RecordingScheduler.Task retry = scheduler.next();
        assertBetween(Duration.ofSeconds(30), Duration.ofMinutes(5), retry.delay());
        lineInUse.set(false);
        CompletableFuture<ProbeResult> running = new CompletableFuture<>();
        prober.answers.add(running);
        retry.run();
        assertEquals(1, prober.calls);
        assertTrue(lineInUse.get(), "held while the test runs");
        running.complete(result(10, false));
        assertEquals(false, lineInUse.get(), "freed when it ends");
    }

    @Test
    void aBusyFarEndIsRetriedWithinTheBusyWindowNotAPeriodLater() {
        loop(SCHEDULE).start();
        prober.answers.add(CompletableFuture.completedFuture(result(0, true)));
        scheduler.next().run();
        assertBetween(Duration.ofSeconds(30), Duration.ofMinutes(5), scheduler.next().delay());
    }

    @Test
    void aTestThatWouldOverrunTheDailyBudgetIsSkippedAndTheLoopGoesOn() {
        Schedule.Budgeted budgeted = new Schedule.Budgeted(EVERY, 0.1, Duration.ZERO, Duration.ZERO,
                Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofMinutes(2), 100, 60);
        loop(budgeted).start();
        prober.answers.add(CompletableFuture.completedFuture(result(60, false)));
        scheduler.next().run();
        scheduler.next().run();
        assertEquals(1, prober.calls, "60 + 60 bytes > the budget of 100: the second test is not run");
        assertBetween(EVERY.multipliedBy(9).dividedBy(10), EVERY.multipliedBy(11).dividedBy(10), scheduler.next().delay());
    }

    @Test
    void aStuckTestDoesNotStopTheLoopAndItsLateResultsAreStillFiledOnce() {
        loop(SCHEDULE).start();
        CompletableFuture<ProbeResult> stuck = new CompletableFuture<>();
        prober.answers.add(stuck);
        Instant before = Instant.now();
        scheduler.next().run();
        Instant after = Instant.now();
        assertTrue(!prober.lastDeadline.isBefore(before.plus(Duration.ofMinutes(2)))
                && !prober.lastDeadline.isAfter(after.plus(Duration.ofMinutes(2))), "the test's deadline is its timeout away");
        RecordingScheduler.Task watchdog = scheduler.next();
        assertEquals(Duration.ofMinutes(2), watchdog.delay());
        watchdog.run();
        assertEquals(1, scheduler.pending(), "the watchdog scheduled the next test");
        stuck.complete(result(10, false));
        assertEquals(1, filed.size(), "late results are filed");
        assertEquals(1, scheduler.pending(), "and do not schedule a second next test");
    }

    @Test
    void aProberThatThrowsOrFailsDoesNotStopTheLoop() {
        loop(SCHEDULE).start();
        prober.answers.add(ScriptedProber.THROW);
        scheduler.next().run();
        prober.answers.add(CompletableFuture.failedFuture(new IllegalStateException("bug")));
        scheduler.next().run();
        assertEquals(2, prober.calls);
        assertEquals(1, scheduler.pending());
        assertTrue(filed.isEmpty());
    }

    @Test
    void aSlottedTestStartsAtEverySlotStartOfTheWallClockAndNowhereElse() {
        Slot slot = new Slot(60_000, 15_000, 25_000);
        long start = slot.nextStartAtOrAfter(wallClock.get());
        slotted(slot).start();
        RecordingScheduler.Task first = scheduler.next();
        assertEquals(start - wallClock.get(), first.delay().toMillis(), "the first test waits for the next slot start");
        CompletableFuture<ProbeResult> test = new CompletableFuture<>();
        prober.answers.add(test);
        advanceAndRun(first);
        assertEquals(start, prober.lastStartMillis);
        assertEquals(Instant.ofEpochMilli(start + 25_000), prober.lastDeadline,
                "a slotted test ends by the end of its reservation, where the next site's may start");
        wallClock.addAndGet(9_000); // the test takes 9 s
        test.complete(result(100, false));
        RecordingScheduler.Task second = scheduler.next();
        assertEquals(60_000 - 9_000, second.delay().toMillis(), "the next slot start, a period after the first");
        prober.answers.add(CompletableFuture.completedFuture(result(0, true)));
        advanceAndRun(second);
        assertEquals(start + 60_000, prober.lastStartMillis);
        assertEquals(60_000, scheduler.next().delay().toMillis(),
                "busy in its own slot: the next slot, not the busy window (any other moment is another site's)");
    }

    @Test
    void aSlottedTimerThatFiresBeforeTheWallClockReachesTheSlotWaitsTheRest() {
        Slot slot = new Slot(60_000, 0, 0);
        long start = slot.nextStartAtOrAfter(wallClock.get() + 1);
        wallClock.set(start - 30_000);
        slotted(slot).start();
        RecordingScheduler.Task first = scheduler.next();
        wallClock.addAndGet(first.delay().toMillis() - 500); // the monotonic timer ran 0.5 s ahead of the wall clock
        first.run();
        assertEquals(0, prober.calls, "not before the slot");
        assertEquals(500, scheduler.next().delay().toMillis());
    }

    @Test
    void aSlottedTestTooLateForItsSlotWaitsForTheNextInsteadOfRunningInAnotherSitesSlot() {
        Slot slot = new Slot(60_000, 0, 0);
        slotted(slot).start();
        RecordingScheduler.Task first = scheduler.next();
        wallClock.addAndGet(first.delay().toMillis() + TestLoop.LATE_TOLERANCE_MILLIS + 1); // suspended meanwhile
        first.run();
        assertEquals(0, prober.calls);
        assertEquals(60_000 - TestLoop.LATE_TOLERANCE_MILLIS - 1, scheduler.next().delay().toMillis());
    }

    @Test
    void aStoppedLoopStartsNoFurtherTestButFilesTheOneRunning() {
        TestLoop loop = loop(SCHEDULE);
        loop.start();
        CompletableFuture<ProbeResult> running = new CompletableFuture<>();
        prober.answers.add(running);
        scheduler.next().run();
        loop.stop();
        running.complete(result(10, false));
        assertEquals(1, filed.size(), "the running test's results are filed");
        assertEquals(0, scheduler.pending(), "and nothing more is scheduled");

        TestLoop waiting = slotted(new Slot(60_000, 0, 0));
        waiting.start();
        waiting.stop();
        assertEquals(0, scheduler.pending(), "a stopped loop's next test is cancelled");
    }

    /** Answers each probe with the next scripted stage; {@link #THROW} makes probe() throw instead. */
    private final class ScriptedProber implements Prober {
        private final java.util.function.LongSupplier wallClockNow = () -> wallClock.get();
        static final CompletionStage<ProbeResult> THROW = new CompletableFuture<>();

        final Deque<CompletionStage<ProbeResult>> answers = new ArrayDeque<>();
        int calls;
        Instant lastDeadline;
        long lastStartMillis;

        @Override
        public Sample.Kind kind() {
            return Sample.Kind.THROUGHPUT;
        }

        @Override
        public boolean measures(TargetConfig target) {
            return true;
        }

        @Override
        public Schedule schedule() {
            return SCHEDULE;
        }

        @Override
        public CompletionStage<ProbeResult> probe(TargetConfig target, Instant deadline) {
            calls++;
            lastDeadline = deadline;
            lastStartMillis = wallClockNow.getAsLong();
            CompletionStage<ProbeResult> answer = answers.removeFirst();
            if (answer == THROW) {
                throw new IllegalStateException("cannot start");
            }
            return answer;
        }
    }
}
