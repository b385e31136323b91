package io.linkprobe.common.stamp;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * When the sender's packets go out: gaps drawn from the {@link ProbeSchedule} around a mean that may
 * change at any time, either for ever or for a fixed count. Due times are absolute, so scheduling
 * delays do not slow the rate; a loop that fell more than a gap behind (a long GC pause) starts
 * afresh rather than sending a burst.
 *
 * <p>Everything but {@link #setMeanInterval} runs on the event loop.
 */
final class SendLoop {
    private final EventLoop loop;
    private final ProbeSchedule schedule;
    private final Runnable sendOne;
    private final SplittableRandom random = new SplittableRandom();
    private volatile long meanIntervalNanos;

    private boolean sending;
    private boolean countReached;
    private long remaining; // packets left in a counted run; -1 when continuous
    private long nextDueNanos;
    private ScheduledFuture<?> next;

    SendLoop(EventLoop loop, ProbeSchedule schedule, long meanIntervalNanos, Runnable sendOne) {
        this.loop = loop;
        this.schedule = schedule;
        this.meanIntervalNanos = meanIntervalNanos;
        this.sendOne = sendOne;
    }

    /** Starts sending, the first packet at once; {@code count} packets, or for ever if -1. */
    void begin(long count) {
        sending = true;
        countReached = false;
        remaining = count;
        nextDueNanos = System.nanoTime();
        tick();
    }

    void stop() {
        sending = false;
        if (next != null) {
            next.cancel(false);
        }
    }

    /** A counted run has sent its last packet. */
    boolean countReached() {
        return countReached;
    }

    long meanIntervalNanos() {
        return meanIntervalNanos;
    }

    /**
     * Changes the mean at once: the packet already scheduled is re-drawn from the new mean
     * (exponential gaps are memoryless, so this keeps the schedule Poisson). Any thread.
     */
    void setMeanInterval(long nanos) {
        meanIntervalNanos = nanos;
        loop.execute(() -> {
            if (sending && next != null && next.cancel(false)) {
                nextDueNanos = System.nanoTime() + schedule.nextGapNanos(meanIntervalNanos, random);
                scheduleNext();
            }
        });
    }

    private void tick() {
        next = null;
        if (!sending) {
            return;
        }
        sendOne.run();
        if (remaining > 0 && --remaining == 0) {
            sending = false;
            countReached = true;
            return;
        }
        nextDueNanos = Math.max(nextDueNanos + schedule.nextGapNanos(meanIntervalNanos, random), System.nanoTime());
        scheduleNext();
    }

    private void scheduleNext() {
        next = loop.schedule(this::tick, Math.max(0, nextDueNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
}
