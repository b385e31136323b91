package io.linkprobe.agent.linktest;

import io.linkprobe.common.stamp.StampSender;
import io.linkprobe.common.stats.Percentiles;
import io.linkprobe.common.throughput.client.ThroughputListener;
import io.linkprobe.common.throughput.measurement.BufferbloatGrade;
import io.linkprobe.common.throughput.protocol.Direction;
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
 * <p>The loaded percentiles leave out probes sent in the load's first second, as the steady
 * throughput leaves out its slow start: that second shows the test's own TCP sender starting up
 * (a cubic sender's queue still filling; a BBR sender's startup overshoot, which on the bloated
 * lab line put the loaded p90 at 130 ms against 59–66 ms for the rest of the load), not the link
 * under sustained load. A load shorter than two seconds (a byte cap on a fast line) keeps every
 * probe. Loss under load counts every probe.
 *
 * <p>Progress events are passed on to {@code delegate} (the CLI's progress line).
 */
final class LoadedLatencyProbe implements ThroughputListener {
    /** The load's first second is left out of the loaded percentiles (the queue is still filling)... */
    static final long LOAD_WARMUP_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** ...when at least this much load remains after it; a shorter load keeps every probe. */
    static final long MIN_STEADY_LOAD_NANOS = TimeUnit.SECONDS.toNanos(1);

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
                p.idle.add(sentAt, rttNanos);
                return;
            }
            if (p.loaded.covers(sentAt)) {
                p.loaded.add(sentAt, rttNanos);
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
        phase.idle.open(System.nanoTime());
        CompletableFuture<Object> idleDone = new CompletableFuture<>();
        timer.schedule(() -> {
            phase.idle.close(System.nanoTime());
            idleDone.complete(null);
        }, idlePeriod.toNanos(), TimeUnit.NANOSECONDS);
        return idleDone.thenCompose(x -> delegate.beforeDirection(direction));
    }

    @Override
    public void loadStarted(Direction direction) {
        Phase phase = phase(direction);
        if (phase != null) {
            phase.sentAtStart = sender.bytesSent() / packetSize;
            phase.loaded.open(System.nanoTime());
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
            phase.loaded.close(System.nanoTime());
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
        long[] idle = phase.idle.sorted(0, 0);
        long[] loaded = phase.loaded.sorted(LOAD_WARMUP_NANOS, MIN_STEADY_LOAD_NANOS);
        if (idle.length == 0 || loaded.length == 0) {
            return null;
        }
        double idleP50 = Percentiles.ofSorted(idle, idle.length, 50) / 1_000.0;
        double loadedP50 = Percentiles.ofSorted(loaded, loaded.length, 50) / 1_000.0;
        double loadedP90 = Percentiles.ofSorted(loaded, loaded.length, 90) / 1_000.0;
        long received = phase.loaded.count();
        return BufferbloatGrade.loadedLatency(idleP50, loadedP50, loadedP90,
                Math.max(phase.sentDuringLoad, received), received);
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
    static final class Window {
        private long from = Long.MAX_VALUE;
        private long to = Long.MAX_VALUE;
        private long[] sentAt = new long[256];
        private long[] rtts = new long[256];
        private int n;

        synchronized void open(long now) {
            from = now;
            to = Long.MAX_VALUE;
        }

        synchronized void close(long now) {
            to = now;
        }

        synchronized boolean isOpen() {
            return from != Long.MAX_VALUE && to == Long.MAX_VALUE;
        }

        synchronized boolean covers(long sent) {
            return sent >= from && sent < to;
        }

        synchronized int count() {
            return n;
        }

        synchronized void add(long sent, long rttNanos) {
            if (n == rtts.length) {
                rtts = Arrays.copyOf(rtts, n * 2);
                sentAt = Arrays.copyOf(sentAt, n * 2);
            }
            sentAt[n] = sent;
            rtts[n++] = rttNanos;
        }

        /**
         * The RTTs, sorted, of the probes sent after the first {@code warmupNanos} of the window —
         * if the window (closed) lasted at least {@code minSteadyNanos} beyond that and some of
         * them were answered; otherwise of every probe.
         */
        synchronized long[] sorted(long warmupNanos, long minSteadyNanos) {
            long cut = from;
            if (warmupNanos > 0 && to != Long.MAX_VALUE && to - from >= warmupNanos + minSteadyNanos) {
                cut = from + warmupNanos;
            }
            long[] kept = new long[n];
            int k = 0;
            for (int i = 0; i < n; i++) {
                if (sentAt[i] >= cut) {
                    kept[k++] = rtts[i];
                }
            }
            if (k == 0) {
                kept = Arrays.copyOf(rtts, n);
                k = n;
            }
            long[] out = Arrays.copyOf(kept, k);
            Arrays.sort(out);
            return out;
        }
    }
}
