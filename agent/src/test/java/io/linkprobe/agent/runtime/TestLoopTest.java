package io.linkprobe.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.agent.config.TargetConfig;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The schedule of expensive tests: first spread, slip, busy retry, daily budget, and a loop that never stops. */
class TestLoopTest {
    private static final TargetConfig HUB = new TargetConfig("hub", "127.0.0.1", 0, 9863, 1);
    private static final Duration EVERY = Duration.ofHours(4);
    private static final Schedule.Budgeted SCHEDULE = new Schedule.Budgeted(EVERY, 0.1, Duration.ofMinutes(24),
            EVERY, Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofMinutes(2), 0, 0);

    private final RecordingScheduler scheduler = new RecordingScheduler();
    private final ScriptedProber prober = new ScriptedProber();
    private final List<ProbeResult> filed = new ArrayList<>();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private TestLoop loop(Schedule.Budgeted schedule) {
        return new TestLoop(prober, HUB, schedule, new DailyBudget(schedule.maxBytesPerDay()), scheduler, filed::add);
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

    /** Answers each probe with the next scripted stage; {@link #THROW} makes probe() throw instead. */
    private static final class ScriptedProber implements Prober {
        static final CompletionStage<ProbeResult> THROW = new CompletableFuture<>();
        final Deque<CompletionStage<ProbeResult>> answers = new ArrayDeque<>();
        int calls;
        Instant lastDeadline;

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
            CompletionStage<ProbeResult> answer = answers.removeFirst();
            if (answer == THROW) {
                throw new IllegalStateException("cannot start");
            }
            return answer;
        }
    }
}
