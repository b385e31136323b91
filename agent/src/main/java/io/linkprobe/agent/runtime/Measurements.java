package io.linkprobe.agent.runtime;

import io.linkprobe.agent.config.AgentConfig;
import io.linkprobe.agent.config.TargetConfig;
import io.linkprobe.agent.plan.Scheduled;
import io.linkprobe.agent.plan.Slot;
import io.linkprobe.agent.plan.Workload;
import io.linkprobe.agent.probe.ProbeResult;
import io.linkprobe.agent.probe.Prober;
import io.linkprobe.agent.probe.Schedule;
import io.linkprobe.common.wire.Sample;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every measurement the agent runs, one per probe kind and target, and the one place they start
 * and stop. {@link #apply} makes them what a {@link Workload} says: a measurement whose target,
 * kind settings ({@link Prober#settings()}) and slot are unchanged keeps running, untouched (a STAMP
 * session keeps its window and its sequence); one the workload no longer has, or has changed, is
 * stopped (a continuous one read a last time first); the new ones start. The runtime knows nothing
 * else about the kinds: each runs the way its {@link Schedule} says.
 */
final class Measurements {
    private static final Logger log = LoggerFactory.getLogger(Measurements.class);

    private record Key(Sample.Kind kind, String target) {}

    /** What a measurement was started with; an equal spec in the next workload keeps it running. */
    private record Spec(TargetConfig target, Object settings, Slot slot) {}

    /** One running measurement. */
    private interface Job {
        /** Stops it; a continuous one files what it measured since the last window's end first. */
        void stop();
    }

    private record Running(Spec spec, Job job) {}

    /** How an {@link #apply} changed the running measurements. */
    record Change(int kept, int started, int stopped) {}

    private final Map<Sample.Kind, Prober> probers;
    private final ScheduledExecutorService scheduler;
    private final Consumer<ProbeResult> sink;
    private final LongSupplier wallClockMillis;
    /** Bytes spent per kind over the last 24 h: they stay spent when a plan changes. */
    private final Map<Sample.Kind, DailyBudget> budgets = new EnumMap<>(Sample.Kind.class);
    /** Every budgeted kind's bytes together: the site's test traffic. */
    private final DailyBudget siteBudget = new DailyBudget();
    /** Set while a test that loads the line (throughput, video) runs: they take turns. */
    private final AtomicBoolean lineInUse = new AtomicBoolean();
    private final Map<Key, Running> running = new LinkedHashMap<>();
    /** The continuous measurements, read at every window's end. */
    private final Map<Key, TargetConfig> continuous = new LinkedHashMap<>();

    Measurements(Map<Sample.Kind, Prober> probers, ScheduledExecutorService scheduler, Consumer<ProbeResult> sink,
            LongSupplier wallClockMillis) {
        this.probers = probers;
        this.scheduler = scheduler;
        this.sink = sink;
        this.wallClockMillis = wallClockMillis;
    }

    /**
     * Runs what {@code workload} says. The probers must already read {@code workload.config()}
     * (their settings supplier), so that {@link Prober#settings()} is the new one.
     */
    synchronized Change apply(Workload workload) {
        Map<Key, Spec> wanted = wanted(workload);
        int stopped = 0;
        for (Iterator<Map.Entry<Key, Running>> it = running.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Key, Running> e = it.next();
            if (!e.getValue().spec().equals(wanted.get(e.getKey()))) {
                e.getValue().job().stop();
                it.remove();
                stopped++;
            }
        }
        int kept = running.size();
        for (Map.Entry<Key, Spec> e : wanted.entrySet()) {
            if (!running.containsKey(e.getKey())) {
                running.put(e.getKey(), new Running(e.getValue(), start(e.getKey(), e.getValue())));
            }
        }
        return new Change(kept, running.size() - kept, stopped);
    }

    /** Each kind's targets: those the plan schedules for it, else every target of the config it measures. */
    private Map<Key, Spec> wanted(Workload workload) {
        AgentConfig config = workload.config();
        Map<Key, Spec> wanted = new LinkedHashMap<>();
        for (Prober prober : probers.values()) {
            Object settings = prober.settings();
            List<Scheduled> planned = workload.planned().get(prober.kind());
            if (planned != null) {
                for (Scheduled s : planned) {
                    if (prober.measures(s.target())) {
                        wanted.put(new Key(prober.kind(), s.target().name()), new Spec(s.target(), settings, s.slot()));
                    }
                }
            } else {
                for (TargetConfig t : config.targets()) {
                    if (prober.measures(t)) {
                        wanted.put(new Key(prober.kind(), t.name()), new Spec(t, settings, null));
                    }
                }
            }
        }
        return wanted;
    }

    private Job start(Key key, Spec spec) {
        Prober prober = Objects.requireNonNull(probers.get(key.kind()));
        TargetConfig target = spec.target();
        return prober.schedule().accept(new Schedule.Visitor<Job>() {
            @Override
            public Job continuous(Schedule.Continuous schedule) {
                continuous.put(key, target);
                read(prober, target);
                return () -> {
                    continuous.remove(key);
                    read(prober, target);
                    prober.stop(target);
                };
            }

            @Override
            public Job periodic(Schedule.Periodic schedule) {
                long every = schedule.every().toMillis();
                long offset = ThreadLocalRandom.current().nextLong(every);
                ScheduledFuture<?> f = scheduler.scheduleAtFixedRate(() -> probeNow(prober, target, schedule.timeout()),
                        offset, every, TimeUnit.MILLISECONDS);
                return () -> f.cancel(false);
            }

            @Override
            public Job budgeted(Schedule.Budgeted schedule) {
                DailyBudget budget = budgets.computeIfAbsent(key.kind(), k -> new DailyBudget(siteBudget));
                TestLoop loop = new TestLoop(prober, target, schedule, spec.slot(), budget, scheduler, sink,
                        wallClockMillis, lineInUse);
                loop.start();
                return loop::stop;
            }
        });
    }

    /** Files every continuous measurement's window: at each window's end and at shutdown. */
    synchronized void readContinuous() {
        for (Map.Entry<Key, TargetConfig> e : new ArrayList<>(continuous.entrySet())) {
            read(probers.get(e.getKey().kind()), e.getValue());
        }
    }

    /** The targets measured now, by kind, for a log line. */
    synchronized Map<Sample.Kind, List<String>> targets() {
        Map<Sample.Kind, List<String>> out = new EnumMap<>(Sample.Kind.class);
        running.keySet().forEach(k -> out.computeIfAbsent(k.kind(), x -> new ArrayList<>()).add(k.target()));
        return out;
    }

    private void read(Prober prober, TargetConfig target) {
        fileWhenDone(prober, target, prober.probe(target, Instant.now()));
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
        probe.thenAccept(sink).whenComplete((done, error) -> {
            if (error != null) {
                log.error("Filing the {} results of '{}' failed", prober.kind().wireName(), t.name(), error);
            }
        });
    }
}
