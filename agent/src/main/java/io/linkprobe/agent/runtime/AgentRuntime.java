package io.linkprobe.agent.runtime;

import io.linkprobe.agent.config.AgentConfig;
import io.linkprobe.agent.config.TargetConfig;
import io.linkprobe.agent.probe.ProbeResult;
import io.linkprobe.agent.probe.Prober;
import io.linkprobe.agent.probe.Probers;
import io.linkprobe.agent.probe.Schedule;
import io.linkprobe.agent.push.AgentToken;
import io.linkprobe.agent.push.Backoff;
import io.linkprobe.agent.push.Pusher;
import io.linkprobe.agent.push.SqliteSpool;
import io.linkprobe.common.net.Transports;
import io.linkprobe.common.wire.AgentHealth;
import io.linkprobe.common.wire.AgentIdentity;
import io.linkprobe.common.wire.Sample;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running agent: every {@link Prober} (looked up by kind in {@link Probers}) run towards every
 * target it measures on the schedule it asks for, and the pusher, all feeding one durable
 * {@link SqliteSpool} through the {@link PlausibilityGate}. Continuous probers are read at the end
 * of every window, when the agent's health is filed too.
 *
 * <p>Threads: one Netty event loop for every socket (an agent on a gateway needs no more), one
 * scheduler thread for windows and probes, and the pusher's own thread, which may block on HTTP.
 */
public final class AgentRuntime implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AgentRuntime.class);
    /** On stop, how long the pusher may go on delivering what is spooled. */
    private static final Duration STOP_FLUSH = Duration.ofSeconds(3);

    private final AgentConfig config;
    private final EventLoopGroup group;
    private final ScheduledExecutorService scheduler;
    private final SqliteSpool outbox;
    private final PlausibilityGate gate;
    private final Pusher pusher;
    private final Map<Sample.Kind, Prober> probers;
    /** The (prober, target) pairs read at every window's end. */
    private final List<Running> continuous = new CopyOnWriteArrayList<>();
    private final long startNanos = System.nanoTime();

    private record Running(Prober prober, TargetConfig target) {}

    private AgentRuntime(AgentConfig config, AgentToken token, SSLContext collectorTls, AgentState state, String version,
            SqliteSpool spool) {
        this.config = config;
        this.group = Transports.group(1, "linkprobe-io");
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "linkprobe-scheduler");
            t.setDaemon(true);
            return t;
        });
        this.outbox = spool;
        this.gate = new PlausibilityGate(spool, System::currentTimeMillis, version);
        AgentIdentity identity = new AgentIdentity(config.site(), state.agentId(), UUID.randomUUID().toString(), version,
                config.labels(), new AgentIdentity.Contract(config.expected().downBytesPerSecond(),
                        config.expected().upBytesPerSecond()));
        AgentConfig.CollectorEndpoint collector = config.collector();
        this.pusher = new Pusher(collector.url(), token, identity, outbox, collector.timeout(),
                new Backoff(collector.backoffMin(), collector.backoffMax()), collectorTls);
        this.probers = Probers.of(group, config, token);
    }

    /**
     * Opens the spool, starts measuring and pushing; returns at once.
     *
     * @throws IOException if the spool cannot be opened (the message names the file)
     */
    public static AgentRuntime start(AgentConfig config, AgentToken token, SSLContext collectorTls, AgentState state,
            String version) throws IOException {
        SqliteSpool spool = openSpool(config, state);
        AgentRuntime rt = new AgentRuntime(config, token, collectorTls, state, version, spool);
        rt.startAll();
        return rt;
    }

    /** The spool, numbering batches above the sequence an older agent kept in its state directory. */
    static SqliteSpool openSpool(AgentConfig config, AgentState state) throws IOException {
        Path path = config.spool().path() != null ? config.spool().path() : config.stateDir().resolve("spool.db");
        SqliteSpool spool = SqliteSpool.open(path, config.spool().maxBytes(), state.legacySequence());
        state.forgetLegacySequence();
        return spool;
    }

    private void startAll() {
        for (Prober prober : probers.values()) {
            start(prober);
        }
        long windowMillis = config.window().toMillis();
        scheduler.scheduleAtFixedRate(this::closeWindow, windowMillis, windowMillis, TimeUnit.MILLISECONDS);
        pusher.start();
        log.info("Agent for site '{}' running: {} target(s), {} s windows, pushing to {}", config.site(),
                config.targets().size(), config.window().toSeconds(), config.collector().url());
    }

    /** Runs {@code prober} towards every target it measures, the way its schedule says. */
    private void start(Prober prober) {
        List<TargetConfig> targets = config.targets().stream().filter(prober::measures).toList();
        if (targets.isEmpty()) {
            return;
        }
        prober.schedule().accept(new Schedule.Visitor<Void>() {
            @Override
            public Void continuous(Schedule.Continuous schedule) {
                for (TargetConfig t : targets) {
                    Running r = new Running(prober, t);
                    continuous.add(r);
                    read(r);
                }
                return null;
            }

            @Override
            public Void periodic(Schedule.Periodic schedule) {
                long every = schedule.every().toMillis();
                for (TargetConfig t : targets) {
                    long offset = ThreadLocalRandom.current().nextLong(every);
                    scheduler.scheduleAtFixedRate(() -> probeNow(prober, t, schedule.timeout()), offset, every,
                            TimeUnit.MILLISECONDS);
                }
                return null;
            }

            @Override
            public Void budgeted(Schedule.Budgeted schedule) {
                DailyBudget budget = new DailyBudget(schedule.maxBytesPerDay());
                for (TargetConfig t : targets) {
                    new TestLoop(prober, t, schedule, budget, scheduler, AgentRuntime.this::file).start();
                }
                return null;
            }
        });
    }

    /** Files every continuous prober's window, then the agent's health. */
    private void closeWindow() {
        try {
            continuous.forEach(this::read);
            gate.file(health());
        } catch (RuntimeException e) {
            log.error("Closing the window failed", e);
        }
    }

    private void read(Running r) {
        fileWhenDone(r.prober(), r.target(), r.prober().probe(r.target(), Instant.now()));
    }

    private AgentHealth health() {
        return new AgentHealth(System.currentTimeMillis(),
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos),
                outbox.approximateBytes(), outbox.pendingSamples(), outbox.droppedTotal(), pusher.failuresTotal(),
                outbox.recoveredTotal(), outbox.recoveredAtMillis(), gate.droppedTotal());
    }

    private void probeNow(Prober prober, TargetConfig t, Duration timeout) {
        // A periodic task that throws is never run again: a probe that cannot start is logged instead.
        try {
            fileWhenDone(prober, t, prober.probe(t, Instant.now().plus(timeout)));
        } catch (RuntimeException e) {
            log.error("The {} probe to '{}' could not start", prober.kind().wireName(), t.name(), e);
        }
    }

    private void fileWhenDone(Prober prober, TargetConfig t, CompletionStage<ProbeResult> probe) {
        probe.thenAccept(this::file).whenComplete((done, error) -> {
            if (error != null) {
                log.error("Filing the {} results of '{}' failed", prober.kind().wireName(), t.name(), error);
            }
        });
    }

    private void file(ProbeResult result) {
        result.samples().forEach(gate::file);
    }

    /**
     * Stops probing, spools the partial window and gives the pusher a moment to deliver it; what
     * is not delivered stays in the spool for the next start.
     */
    @Override
    public void close() {
        scheduler.shutdownNow();
        closeWindow();
        long until = System.nanoTime() + STOP_FLUSH.toNanos();
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
        probers.values().forEach(Prober::close);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
