package io.linkprobe.agent.runtime;

import io.linkprobe.agent.config.AgentConfig;
import io.linkprobe.agent.config.TargetConfig;
import io.linkprobe.agent.probe.ConnectProber;
import io.linkprobe.agent.probe.ThroughputProber;
import io.linkprobe.agent.push.Backoff;
import io.linkprobe.agent.push.Pusher;
import io.linkprobe.agent.push.SqliteSpool;
import io.linkprobe.common.net.Transports;
import io.linkprobe.common.wire.AgentHealth;
import io.linkprobe.common.wire.AgentIdentity;
import io.linkprobe.common.wire.LatencyWindow;
import io.linkprobe.common.wire.Sample;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running agent: continuous STAMP sessions summarised per window, scheduled connect and
 * throughput probes, and the pusher, all feeding one durable {@link SqliteSpool}.
 *
 * <p>Threads: one Netty event loop for every socket (an agent on a gateway needs no more), one
 * scheduler thread for windows and probes, and the pusher's own thread, which may block on HTTP.
 */
public final class AgentRuntime implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AgentRuntime.class);
    static final Duration CONNECT_PROBE_PERIOD = Duration.ofSeconds(10);

    private final AgentConfig config;
    private final EventLoopGroup group;
    private final ScheduledExecutorService scheduler;
    private final LatencySessions sessions;
    private final SqliteSpool outbox;
    private final Pusher pusher;
    private final ConnectProber connectProber;
    private final ThroughputProber throughputProber;
    private final ThroughputBudget budget;
    private final long startNanos = System.nanoTime();

    private AgentRuntime(AgentConfig config, String token, SSLContext collectorTls, AgentState state, String version,
            SqliteSpool spool) {
        this.config = config;
        this.group = Transports.group(1, "linkprobe-io");
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "linkprobe-scheduler");
            t.setDaemon(true);
            return t;
        });
        this.sessions = new LatencySessions(group, config);
        this.outbox = spool;
        AgentIdentity identity = new AgentIdentity(config.site(), state.agentId(), UUID.randomUUID().toString(), version,
                config.labels(), new AgentIdentity.Contract(config.expected().downBytesPerSecond(),
                        config.expected().upBytesPerSecond()));
        this.pusher = new Pusher(config.collector().url(), token, identity, outbox,
                config.collector().timeout(), new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5)), collectorTls);
        this.connectProber = new ConnectProber(group);
        this.throughputProber = new ThroughputProber(group, config, token);
        this.budget = new ThroughputBudget(config.throughput().maxBytesPerDay());
    }

    /**
     * Opens the spool, starts measuring and pushing; returns at once.
     *
     * @throws IOException if the spool cannot be opened (the message names the file)
     */
    public static AgentRuntime start(AgentConfig config, String token, SSLContext collectorTls, AgentState state,
            String version) throws IOException {
        java.nio.file.Path path = config.spool().path() != null ? config.spool().path()
                : config.stateDir().resolve("spool.db");
        SqliteSpool spool = SqliteSpool.open(path, config.spool().maxBytes(), state::nextSequence);
        AgentRuntime rt = new AgentRuntime(config, token, collectorTls, state, version, spool);
        rt.startAll();
        return rt;
    }

    private void startAll() {
        sessions.openMissing();
        long windowMillis = config.window().toMillis();
        scheduler.scheduleAtFixedRate(this::closeWindow, windowMillis, windowMillis, TimeUnit.MILLISECONDS);
        for (TargetConfig t : config.targets()) {
            if (t.connectPort() > 0) {
                long offset = ThreadLocalRandom.current().nextLong(CONNECT_PROBE_PERIOD.toMillis());
                scheduler.scheduleAtFixedRate(() -> probeConnect(t), offset, CONNECT_PROBE_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
            }
            if (t.throughputPort() > 0 && config.throughput().enabled()) {
                scheduleThroughput(t, firstThroughputDelay());
            }
        }
        pusher.start();
        log.info("Agent for site '{}' running: {} target(s), {} s windows, pushing to {}", config.site(),
                config.targets().size(), config.window().toSeconds(), config.collector().url());
    }

    /** Spread the first test over the period so a fleet restarted together does not test together. */
    private Duration firstThroughputDelay() {
        long every = config.throughput().every().toMillis();
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(every / 10, every + 1));
    }

    private void closeWindow() {
        try {
            sessions.openMissing();
            List<LatencyWindow> windows = sessions.drainAll();
            windows.forEach(outbox::add);
            outbox.add(health());
        } catch (RuntimeException e) {
            log.error("Closing the window failed", e);
        }
    }

    private AgentHealth health() {
        return new AgentHealth(System.currentTimeMillis(),
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos),
                outbox.approximateBytes(), outbox.pendingSamples(), outbox.droppedTotal(), pusher.failuresTotal());
    }

    private void probeConnect(TargetConfig t) {
        // A periodic task that throws is never run again: a probe that cannot start is logged instead.
        try {
            connectProber.probe(t, Instant.now().plusSeconds(5)).thenAccept(this::addAll);
        } catch (RuntimeException e) {
            log.error("Connect probe to '{}' could not start", t.name(), e);
        }
    }

    private void scheduleThroughput(TargetConfig t, Duration delay) {
        scheduler.schedule(() -> runThroughput(t), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs one test and always schedules the next, whatever happens to this one. */
    private void runThroughput(TargetConfig t) {
        Duration every = config.throughput().every();
        // ±10 % slip keeps sites that once collided from colliding every period.
        Duration next = Duration.ofMillis((long) (every.toMillis() * ThreadLocalRandom.current().nextDouble(0.9, 1.1)));
        if (!budget.allows(throughputProber.bytesPerTest())) {
            log.warn("Skipping the throughput test to '{}': the daily budget of {} bytes is used up", t.name(),
                    config.throughput().maxBytesPerDay());
            scheduleThroughput(t, next);
            return;
        }
        try {
            throughputProber.probe(t, Instant.now().plus(Duration.ofMinutes(2)))
                    .whenComplete((samples, error) -> scheduleThroughput(t, afterTest(t, samples, error, next)));
        } catch (RuntimeException e) {
            log.error("Throughput test to '{}' could not start", t.name(), e);
            scheduleThroughput(t, next);
        }
    }

    /** Files a finished test's results and says when the next one is due. */
    private Duration afterTest(TargetConfig t, List<Sample> samples, Throwable error, Duration next) {
        if (error != null) {
            log.error("Throughput test to '{}' failed", t.name(), error);
            return next;
        }
        try {
            addAll(samples);
            budget.used(ThroughputProber.bytesUsed(samples));
        } catch (RuntimeException e) {
            log.error("Filing the throughput results of '{}' failed", t.name(), e);
            return next;
        }
        boolean busy = ThroughputProber.refusedBusy(samples);
        // A busy responder: come back within a few minutes, with jitter, rather than a whole period later.
        return busy ? Duration.ofSeconds(ThreadLocalRandom.current().nextLong(30, 300)) : next;
    }

    private void addAll(List<Sample> samples) {
        samples.forEach(outbox::add);
    }

    /**
     * Stops probing, spools the partial window and gives the pusher a moment to deliver it; what
     * is not delivered stays in the spool for the next start.
     */
    @Override
    public void close() {
        scheduler.shutdownNow();
        closeWindow();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (outbox.pendingSamples() > 0 && System.nanoTime() < until) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        pusher.close();
        outbox.close();
        sessions.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
