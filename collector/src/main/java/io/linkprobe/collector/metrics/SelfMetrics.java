package io.linkprobe.collector.metrics;

import io.linkprobe.collector.http.RejectReason;
import io.linkprobe.collector.http.RejectionCounter;
import io.linkprobe.collector.plan.Schedule;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The collector's own meters. Every rejection reason is registered up front, so that a rate of
 * refusals starts from a visible zero instead of appearing from nowhere.
 */
public final class SelfMetrics implements RejectionCounter {
    private final MeterRegistry registry;
    private final Counter ingested;
    private final Counter duplicates;
    private final Map<RejectReason, Counter> rejected = new EnumMap<>(RejectReason.class);
    private final Timer archiveWrite;
    private final Timer sampleDelay;
    /** Micrometer holds gauge state weakly; these keep the suppliers alive. */
    private IntSupplier archiveQueue;
    private IntSupplier knownSites;
    private IntSupplier tokens;
    private BooleanSupplier archiveWritable;
    private LongSupplier archiveLastRecoveryMillis;
    private final Counter tokensReloadFailures;
    private final AtomicInteger reloadSuccessful = new AtomicInteger();
    private final AtomicLong reloadSuccessMillis = new AtomicLong();
    private Supplier<Schedule> schedule;

    public SelfMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.ingested = Meters.counter(registry, LinkprobeMeter.COLLECTOR_INGESTED);
        this.duplicates = Meters.counter(registry, LinkprobeMeter.COLLECTOR_DUPLICATES);
        for (RejectReason reason : RejectReason.values()) {
            rejected.put(reason, Meters.counter(registry, LinkprobeMeter.COLLECTOR_REJECTED, reason.tagValue()));
        }
        this.archiveWrite = Meters.timer(registry, LinkprobeMeter.COLLECTOR_ARCHIVE_WRITE);
        this.sampleDelay = Meters.timer(registry, LinkprobeMeter.SAMPLE_DELAY);
        this.tokensReloadFailures = Meters.counter(registry, LinkprobeMeter.COLLECTOR_TOKENS_RELOAD_FAILURES);
        Meters.gauge(registry, LinkprobeMeter.COLLECTOR_CONFIG_RELOAD_SUCCESSFUL, reloadSuccessful, AtomicInteger::get);
        Meters.gauge(registry, LinkprobeMeter.COLLECTOR_CONFIG_RELOAD_TIMESTAMP, reloadSuccessMillis, m -> m.get() / 1000.0);
    }

    @Override
    public void count(RejectReason reason) {
        rejected.get(reason).increment();
    }

    public void ingested(int results) {
        ingested.increment(results);
    }

    public void duplicate() {
        duplicates.increment();
    }

    public Timer archiveWrite() {
        return archiveWrite;
    }

    public Timer sampleDelay() {
        return sampleDelay;
    }

    /** Publishes the archive's write-queue length and the number of known sites. */
    public void watch(IntSupplier archiveQueue, IntSupplier knownSites) {
        this.archiveQueue = archiveQueue;
        this.knownSites = knownSites;
        Meters.gauge(registry, LinkprobeMeter.COLLECTOR_ARCHIVE_QUEUE, archiveQueue, IntSupplier::getAsInt);
        Meters.gauge(registry, LinkprobeMeter.COLLECTOR_SITES, knownSites, IntSupplier::getAsInt);
    }

    /**
     * Publishes whether the archive can write now and when it was last rebuilt from a corrupt file
     * ({@code lastRecoveryMillis} -1 if never, published as 0).
     */
    public void watchArchive(BooleanSupplier writable, LongSupplier lastRecoveryMillis) {
        this.archiveWritable = writable;
        this.archiveLastRecoveryMillis = lastRecoveryMillis;
        Meters.gauge(registry, LinkprobeMeter.COLLECTOR_ARCHIVE_WRITABLE, writable, w -> w.getAsBoolean() ? 1 : 0);
        Meters.gauge(registry, LinkprobeMeter.COLLECTOR_ARCHIVE_LAST_RECOVERY, lastRecoveryMillis,
                r -> Math.max(0, r.getAsLong()) / 1000.0);
    }

    /** Publishes the number of tokens in force. */
    public void watchTokens(IntSupplier tokens) {
        this.tokens = tokens;
        Meters.gauge(registry, LinkprobeMeter.COLLECTOR_TOKENS, tokens, IntSupplier::getAsInt);
    }

    public void tokensReloadFailed() {
        tokensReloadFailures.increment();
    }

    /** Records a reload of the tokens and fleet files (the first load at start counts as one). */
    public void configReloaded(boolean ok, long epochMillis) {
        reloadSuccessful.set(ok ? 1 : 0);
        if (ok) {
            reloadSuccessMillis.set(epochMillis);
        }
    }

    /** Publishes the test demand on the responder pool and the stretch of the schedule in force. */
    public void watchSchedule(Supplier<Schedule> schedule) {
        this.schedule = schedule;
        Meters.gauge(registry, LinkprobeMeter.COLLECTOR_TEST_DEMAND, schedule, s -> s.get().demandRatio());
        Meters.gauge(registry, LinkprobeMeter.COLLECTOR_TEST_STRETCH, schedule, s -> s.get().stretch());
    }
}
