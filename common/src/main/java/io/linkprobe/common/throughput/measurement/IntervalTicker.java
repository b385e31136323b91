package io.linkprobe.common.throughput.measurement;

import io.netty.channel.EventLoop;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Cuts the receiver's byte count into intervals, on the owner's event loop. Fixed-rate scheduling
 * keeps the average period exact; each interval records its real length.
 */
public final class IntervalTicker {
    /** Receives each finished interval. */
    public interface Sink {
        void interval(int index, long bytes, long elapsedNanos);
    }

    private final EventLoop loop;
    private final GoodputCounter counter;
    private final int intervalMillis;
    private final Sink sink;
    private ScheduledFuture<?> task;
    private long lastNanos;
    private long lastTotal;
    private int index;

    public IntervalTicker(EventLoop loop, GoodputCounter counter, int intervalMillis, Sink sink) {
        this.loop = loop;
        this.counter = counter;
        this.intervalMillis = intervalMillis;
        this.sink = sink;
    }

    /** Starts counting from the counter's first byte; call on {@code loop}, at most once. */
    public void start() {
        if (task != null) {
            return;
        }
        lastNanos = counter.firstByteNanos();
        long delayNanos = Math.max(0, lastNanos + TimeUnit.MILLISECONDS.toNanos(intervalMillis) - System.nanoTime());
        task = loop.scheduleAtFixedRate(this::tick, delayNanos,
                TimeUnit.MILLISECONDS.toNanos(intervalMillis), TimeUnit.NANOSECONDS);
    }

    public void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }

    private void tick() {
        long now = System.nanoTime();
        long total = counter.total();
        sink.interval(index++, total - lastTotal, now - lastNanos);
        lastTotal = total;
        lastNanos = now;
    }
}
