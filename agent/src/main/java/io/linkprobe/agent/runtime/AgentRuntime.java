package io.linkprobe.agent.runtime;

import io.linkprobe.common.cli.BuildInfo;
import io.linkprobe.agent.config.AgentConfig;
import io.linkprobe.agent.plan.PlanKeeper;
import io.linkprobe.agent.plan.Workload;
import io.linkprobe.agent.probe.ProbeResult;
import io.linkprobe.agent.probe.Prober;
import io.linkprobe.agent.probe.Probers;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running agent: the {@link Measurements} a {@link Workload} asks for (every {@link Prober},
 * looked up by kind in {@link Probers}, towards the targets it measures), the pusher, and the
 * {@link PlanKeeper} that fetches the collector's plan, all feeding one durable
 * {@link SqliteSpool} through the {@link PlausibilityGate}. Continuous probers are read at the end
 * of every window, when the agent's health is filed too. A new plan is applied while everything
 * runs: what did not change keeps running.
 *
 * <p>Threads: one Netty event loop for every socket (an agent on a gateway needs no more), one
 * scheduler thread for windows, probes and applying plans, the pusher's own thread and the plan
 * keeper's, which may block on HTTP.
 */
public final class AgentRuntime implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AgentRuntime.class);
    /** On stop, how long the pusher may go on delivering what is spooled. */
    private static final Duration STOP_FLUSH = Duration.ofSeconds(3);

    private final EventLoopGroup group;
    private final ScheduledExecutorService scheduler;
    private final SqliteSpool outbox;
    private final PlausibilityGate gate;
    private final Pusher pusher;
    private final PlanKeeper planKeeper;
    private final Map<Sample.Kind, Prober> probers;
    private final Measurements measurements;
    /** The settings in force: agent.yml merged with the plan; every prober reads them here. */
    private final AtomicReference<AgentConfig> settings;
    private final String agentId;
    private final String bootId = UUID.randomUUID().toString();
    private final String version;
    private final long startNanos = System.nanoTime();
    /** Read and written on the scheduler thread; read for health. */
    private volatile Workload workload;
    private ScheduledFuture<?> windowTimer;

    private AgentRuntime(AgentConfig config, AgentToken token, SSLContext collectorTls, AgentState state, String version,
            SqliteSpool spool) {
        this.settings = new AtomicReference<>(config);
        this.agentId = state.agentId();
        this.version = version;
        this.group = Transports.group(1, "linkprobe-io");
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "linkprobe-scheduler");
            t.setDaemon(true);
            return t;
        });
        this.outbox = spool;
        this.gate = new PlausibilityGate(spool, System::currentTimeMillis, version);
        AgentConfig.CollectorEndpoint collector = config.collector();
        this.pusher = new Pusher(collector.urls(), token, identity(config), outbox, collector.timeout(),
                new Backoff(collector.backoffMin(), collector.backoffMax()), collectorTls);
        this.probers = Probers.of(group, settings::get, token);
        this.measurements = new Measurements(probers, scheduler, this::file, System::currentTimeMillis);
        this.planKeeper = new PlanKeeper(config, token, collectorTls, this::apply);
    }

    /**
     * Opens the spool, starts measuring (the plan kept from the last run, or agent.yml alone) and
     * pushing, and asks the collector for its plan; returns at once.
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
        Workload first = planKeeper.initial();
        try {
            scheduler.submit(() -> applyNow(first)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("cannot start measuring", e.getCause());
        }
        pusher.start();
        planKeeper.start();
    }

    /** Measures what {@code next} says from now on, without stopping what it keeps; returns at once. */
    public void apply(Workload next) {
        scheduler.execute(() -> {
            try {
                applyNow(next);
            } catch (RuntimeException e) {
                log.error("Applying {} failed; measuring what ran before", next.describe(), e);
            }
        });
    }

    /** What the agent runs now. */
    public Workload workload() {
        return workload;
    }

    private void applyNow(Workload next) {
        Workload before = workload;
        if (next.equals(before)) {
            return;
        }
        AgentConfig config = next.config();
        settings.set(config);
        Measurements.Change change = measurements.apply(next);
        if (before == null || !before.config().window().equals(config.window())) {
            if (windowTimer != null) {
                windowTimer.cancel(false);
            }
            long windowMillis = config.window().toMillis();
            windowTimer = scheduler.scheduleAtFixedRate(this::closeWindow, windowMillis, windowMillis, TimeUnit.MILLISECONDS);
        }
        if (before != null && (!before.config().labels().equals(config.labels())
                || !before.config().expected().equals(config.expected()))) {
            pusher.identify(identity(config));
        }
        workload = next;
        String what = next.runsPlan() ? "plan " + next.planVersion() + " from the collector" : "agent.yml alone";
        if (before == null) {
            log.info("Agent for site '{}' running {}: {}, {} s windows, pushing to {}", config.site(), what,
                    measured(), config.window().toSeconds(),
                    config.collector().urls().size() == 1 ? config.collector().url() : config.collector().urls());
        } else {
            log.info("Now running {}: {}, {} s windows ({} measurement(s) kept running, {} started, {} stopped)", what,
                    measured(), config.window().toSeconds(), change.kept(), change.started(), change.stopped());
        }
        next.notes().forEach(note -> log.warn("{}", note));
    }

    private String measured() {
        Map<Sample.Kind, List<String>> targets = measurements.targets();
        if (targets.isEmpty()) {
            return "nothing to measure (no targets)";
        }
        StringBuilder out = new StringBuilder();
        targets.forEach((kind, names) -> out.append(out.length() == 0 ? "" : "; ").append(kind.wireName()).append(" to ")
                .append(String.join(", ", names)));
        return out.toString();
    }

    private AgentIdentity identity(AgentConfig config) {
        return new AgentIdentity(config.site(), agentId, bootId, version, config.labels(),
                new AgentIdentity.Contract(config.expected().downBytesPerSecond(), config.expected().upBytesPerSecond()),
                BuildInfo.current().revision(), BuildInfo.current().javaVersion());
    }

    /** Files every continuous prober's window, then the agent's health. */
    private void closeWindow() {
        try {
            measurements.readContinuous();
            gate.file(health());
        } catch (RuntimeException e) {
            log.error("Closing the window failed", e);
        }
    }

    private AgentHealth health() {
        Workload w = workload;
        return new AgentHealth(System.currentTimeMillis(),
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos),
                outbox.approximateBytes(), outbox.pendingSamples(), outbox.droppedTotal(), pusher.failuresTotal(),
                outbox.recoveredTotal(), outbox.recoveredAtMillis(), gate.droppedTotal(),
                w == null ? null : w.planVersion());
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
        planKeeper.close();
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
