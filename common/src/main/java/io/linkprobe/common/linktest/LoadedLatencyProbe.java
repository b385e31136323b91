package io.linkprobe.common.linktest;

import io.linkprobe.common.stamp.StampSender;
import io.linkprobe.common.stats.Percentiles;
import io.linkprobe.common.throughput.BufferbloatGrade;
import io.linkprobe.common.throughput.Direction;
import io.linkprobe.common.throughput.ThroughputListener;
import io.linkprobe.common.wire.ThroughputResult.LoadedLatency;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Latency under load, measured by a STAMP sender running at a fast rate (default 20/s) for the
 * whole throughput test. Before each direction it samples the idle RTT on the quiet link for a
 * short while (the test waits for it); then it samples the loaded RTT while the responder's data
 * flows. Bufferbloat = loaded p50 − idle p50 (RFC 6349 buffer delay), graded by
 * {@link BufferbloatGrade}.
 *
 * <p>A probe belongs to the phase in which it was <em>sent</em>: on a bloated line the reply to a
 * probe sent in the last moments of the load comes back after the load has ended, and it carries
 * the fullest queue of all. So replies keep being sorted after the load ends, and the caller lets
 * the probe settle (see {@link LinkTest}) before reading the results.
 *
 * <p>Progress events are passed on to {@code delegate} (the CLI's progress line).
 */
final class LoadedLatencyProbe implements ThroughputListener {
    private final StampSender sender;
    private final EventExecutor timer;
    private final Duration idlePeriod;
    private final int packetSize;
    private final ThroughputListener delegate;
    private final Map<Direction, Phase> phases = new EnumMap<>(Direction.class);
    private final StampSender.Registration registration;

    LoadedLatencyProbe(StampSender sender, EventExecutor timer, Duration idlePeriod, int packetSize,
                       ThroughputListener delegate) {
        this.sender = sender;
        this.timer = timer;
        this.idlePeriod = idlePeriod;
        this.packetSize = packetSize;
        this.delegate = delegate;
        this.registration = sender.addRttListener(this::sort);
    }

    /** Files an RTT under the phase its probe was sent in (send time = now − RTT). */
    private void sort(long rttNanos) {
        long sentAt = System.nanoTime() - rttNanos;
        Phase[] all;
        synchronized (phases) {
            all = phases.values().toArray(Phase[]::new);
        }
        for (Phase p : all) {
            if (p.idle.covers(sentAt)) {
                p.idle.add(rttNanos);
                return;
            }
            if (p.loaded.covers(sentAt)) {
                p.loaded.add(rttNanos);
                return;
            }
        }
    }

    @Override
    public CompletionStage<?> beforeDirection(Direction direction) {
        Phase phase = new Phase();
        synchronized (phases) {
            phases.put(direction, phase);
        }
        phase.idle.open();
        CompletableFuture<Object> idleDone = new CompletableFuture<>();
        timer.schedule(() -> {
            phase.idle.close();
            idleDone.complete(null);
        }, idlePeriod.toNanos(), TimeUnit.NANOSECONDS);
        return idleDone.thenCompose(x -> delegate.beforeDirection(direction));
    }

    @Override
    public void loadStarted(Direction direction) {
        Phase phase = phase(direction);
        if (phase != null) {
            phase.sentAtStart = sender.bytesSent() / packetSize;
            phase.loaded.open();
        }
        delegate.loadStarted(direction);
    }

    @Override
    public void interval(Direction direction, int index, long bytes, double bytesPerSecond) {
        delegate.interval(direction, index, bytes, bytesPerSecond);
    }

    @Override
    public void loadEnded(Direction direction) {
        Phase phase = phase(direction);
        if (phase != null && phase.loaded.isOpen()) {
            phase.loaded.close();
            phase.sentDuringLoad = sender.bytesSent() / packetSize - phase.sentAtStart;
        }
        delegate.loadEnded(direction);
    }

    @Override
    public void busy(Direction direction, long retryAfterMillis, int queuePosition) {
        delegate.busy(direction, retryAfterMillis, queuePosition);
    }

    /** The latency-under-load figures of {@code direction}, or null if either phase got no reply. */
    LoadedLatency result(Direction direction) {
        Phase phase = phase(direction);
        if (phase == null) {
            return null;
        }
        long[] idle = phase.idle.sorted();
        long[] loaded = phase.loaded.sorted();
        if (idle.length == 0 || loaded.length == 0) {
            return null;
        }
        double idleP50 = Percentiles.ofSorted(idle, idle.length, 50) / 1_000.0;
        double loadedP50 = Percentiles.ofSorted(loaded, loaded.length, 50) / 1_000.0;
        double loadedP90 = Percentiles.ofSorted(loaded, loaded.length, 90) / 1_000.0;
        return BufferbloatGrade.loadedLatency(idleP50, loadedP50, loadedP90,
                Math.max(phase.sentDuringLoad, loaded.length), loaded.length);
    }

    void close() {
        registration.close();
    }

    private Phase phase(Direction direction) {
        synchronized (phases) {
            return phases.get(direction);
        }
    }

    private static final class Phase {
        final Window idle = new Window();
        final Window loaded = new Window();
        volatile long sentAtStart;
        volatile long sentDuringLoad;
    }

    /** A span of send times ({@code System.nanoTime}) and the RTTs of the probes sent in it. */
    private static final class Window {
        private long from = Long.MAX_VALUE;
        private long to = Long.MAX_VALUE;
        private long[] values = new long[256];
        private int n;

        synchronized void open() {
            from = System.nanoTime();
            to = Long.MAX_VALUE;
        }

        synchronized void close() {
            to = System.nanoTime();
        }

        synchronized boolean isOpen() {
            return from != Long.MAX_VALUE && to == Long.MAX_VALUE;
        }

        synchronized boolean covers(long sentAt) {
            return sentAt >= from && sentAt < to;
        }

        synchronized void add(long nanos) {
            if (n == values.length) {
                values = Arrays.copyOf(values, n * 2);
            }
            values[n++] = nanos;
        }

        synchronized long[] sorted() {
            long[] copy = Arrays.copyOf(values, n);
            Arrays.sort(copy);
            return copy;
        }
    }
}
