package io.linkprobe.agent.runtime;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler whose delayed tasks never run by themselves: each is recorded with its delay, and
 * the test runs them in order. Verdicts about "when" then depend on the delays asked for, never
 * on how busy the machine is.
 */
final class RecordingScheduler extends ScheduledThreadPoolExecutor {
    record Task(Runnable task, Duration delay, ScheduledFuture<?> future) {
        void run() {
            task.run();
        }
    }

    private final Deque<Task> tasks = new ArrayDeque<>();

    RecordingScheduler() {
        super(1);
    }

    @Override
    public synchronized ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
        // A real future, so that cancelling works; it fires only after the test has ended.
        ScheduledFuture<?> future = super.schedule(() -> {}, 1, TimeUnit.DAYS);
        tasks.addLast(new Task(task, Duration.ofNanos(unit.toNanos(delay)), future));
        return future;
    }

    /** The oldest task not cancelled, removed; fails if there is none. */
    synchronized Task next() {
        Task t;
        do {
            t = tasks.pollFirst();
            if (t == null) {
                throw new AssertionError("nothing is scheduled");
            }
        } while (t.future().isCancelled());
        return t;
    }

    /** Tasks waiting that are not cancelled. */
    synchronized int pending() {
        return (int) tasks.stream().filter(t -> !t.future().isCancelled()).count();
    }
}
