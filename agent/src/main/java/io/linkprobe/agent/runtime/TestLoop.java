package io.linkprobe.agent.runtime;

import io.linkprobe.agent.config.TargetConfig;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link Schedule.Budgeted} prober towards one target, again and again: each run
 * schedules the next, whatever happens to it, so the loop never stops.
 */
final class TestLoop {
    private static final Logger log = LoggerFactory.getLogger(TestLoop.class);

    private final Prober prober;
    private final TargetConfig target;
    private final Schedule.Budgeted schedule;
    private final DailyBudget budget;
    private final ScheduledExecutorService scheduler;
    private final Consumer<ProbeResult> sink;

    /** @param budget shared by every target of the prober's kind */
    TestLoop(Prober prober, TargetConfig target, Schedule.Budgeted schedule, DailyBudget budget,
             ScheduledExecutorService scheduler, Consumer<ProbeResult> sink) {
        this.prober = prober;
        this.target = target;
        this.schedule = schedule;
        this.budget = budget;
        this.scheduler = scheduler;
        this.sink = sink;
    }

    void start() {
        runIn(between(schedule.firstDelayMin(), schedule.firstDelayMax()));
    }

    private void runIn(Duration delay) {
        scheduler.schedule(this::run, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void run() {
        Duration next = slipped();
        if (!budget.allows(schedule.bytesPerTest())) {
            log.warn("Skipping the {} test to '{}': the daily budget of {} bytes is used up", prober.kind().wireName(),
                    target.name(), schedule.maxBytesPerDay());
            runIn(next);
            return;
        }
        CompletionStage<ProbeResult> test;
        try {
            test = prober.probe(target, Instant.now().plus(schedule.timeout()));
        } catch (RuntimeException e) {
            log.error("The {} test to '{}' could not start", prober.kind().wireName(), target.name(), e);
            runIn(next);
            return;
        }
        // Exactly one of the test's end and the watchdog schedules the next run.
        AtomicBoolean nextScheduled = new AtomicBoolean();
        ScheduledFuture<?> watchdog = scheduler.schedule(() -> {
            if (nextScheduled.compareAndSet(false, true)) {
                log.warn("The {} test to '{}' has not finished after {} s; the next is scheduled, and its results "
                        + "are filed if it still finishes", prober.kind().wireName(), target.name(),
                        schedule.timeout().toSeconds());
                runIn(next);
            }
        }, schedule.timeout().toMillis(), TimeUnit.MILLISECONDS);
        test.whenComplete((result, error) -> {
            watchdog.cancel(false);
            Duration after = afterTest(result, error, next);
            if (nextScheduled.compareAndSet(false, true)) {
                runIn(after);
            }
        });
    }

    /** Files a finished test's results and says when the next one is due. */
    private Duration afterTest(ProbeResult result, Throwable error, Duration next) {
        if (error != null) {
            log.error("The {} test to '{}' failed", prober.kind().wireName(), target.name(), error);
            return next;
        }
        try {
            sink.accept(result);
            budget.used(result.bytesUsed());
        } catch (RuntimeException e) {
            log.error("Filing the {} results of '{}' failed", prober.kind().wireName(), target.name(), e);
            return next;
        }
        // A busy far end: come back within a few minutes, with jitter, rather than a whole period later.
        return result.busy() ? between(schedule.busyRetryMin(), schedule.busyRetryMax()) : next;
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
