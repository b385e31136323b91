package io.linkprobe.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.agent.config.AgentConfig;
import io.linkprobe.agent.config.TargetConfig;
import io.linkprobe.agent.plan.Scheduled;
import io.linkprobe.agent.plan.Slot;
import io.linkprobe.agent.plan.Workload;
import io.linkprobe.agent.probe.ProbeResult;
import io.linkprobe.agent.probe.Prober;
import io.linkprobe.agent.probe.Schedule;
import io.linkprobe.common.config.ConfigLoader;
import io.linkprobe.common.wire.Sample;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Applying a new workload keeps what did not change running, stops what left or changed, starts what is new. */
class MeasurementsTest {
    private static final long NOW = 1_700_000_000_000L;

    private final RecordingScheduler scheduler = new RecordingScheduler();
    private final AtomicReference<AgentConfig> settings = new AtomicReference<>();
    private final Continuous stamp = new Continuous();
    private final Budgeted throughput = new Budgeted();
    private final Measurements measurements;

    MeasurementsTest() {
        Map<Sample.Kind, Prober> probers = new EnumMap<>(Sample.Kind.class);
        probers.put(Sample.Kind.LATENCY, stamp);
        probers.put(Sample.Kind.THROUGHPUT, throughput);
        measurements = new Measurements(probers, scheduler, r -> { }, () -> NOW);
    }

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private Measurements.Change apply(Workload w) {
        settings.set(w.config());
        return measurements.apply(w);
    }

    private static AgentConfig config(String yaml) throws Exception {
        return ConfigLoader.parse("agent.yml", "site: s1\ncollector: {url: 'http://c:9862'}\n" + yaml, AgentConfig.class);
    }

    @Test
    void anUnchangedSessionKeepsRunningARemovedOneIsReadOnceMoreAndStoppedANewOneStarts() throws Exception {
        apply(Workload.local(config("targets: [{name: a, host: h1}, {name: b, host: h2}]\n")));
        assertEquals(List.of("a", "b"), stamp.probed, "each session opens with its first probe");

        Measurements.Change change = apply(new Workload(config("targets: [{name: a, host: h1}, {name: c, host: h3}]\n"),
                "v1", Map.of(), List.of()));

        assertEquals(new Measurements.Change(1, 1, 1), change);
        assertEquals(List.of("a", "b", "b", "c"), stamp.probed, "b's last window is read before it stops; a is not touched");
        assertEquals(List.of("b"), stamp.stopped);
        measurements.readContinuous();
        assertEquals(List.of("a", "c"), stamp.probed.subList(4, 6), "the window's end reads what runs now");
    }

    @Test
    void aTargetThatMovedOrSettingsThatChangedRestartTheSession() throws Exception {
        apply(Workload.local(config("targets: [{name: a, host: h1}]\n")));
        apply(Workload.local(config("targets: [{name: a, host: h9}]\n")));
        assertEquals(List.of("a"), stamp.stopped, "the same name on another host is another session");
        apply(Workload.local(config("latency: {interval: 50ms}\ntargets: [{name: a, host: h9}]\n")));
        assertEquals(List.of("a", "a"), stamp.stopped, "new latency settings restart it");
        assertEquals(new Measurements.Change(1, 0, 0),
                apply(Workload.local(config("latency: {interval: 50ms}\ntargets: [{name: a, host: h9}]\n"))));
    }

    @Test
    void aPlannedTestRunsTowardsItsResponderInItsSlotAndMovesWithTheSlot() throws Exception {
        AgentConfig withLocalResponder = config("targets: [{name: local, host: h1, throughput_port: 9863}]\n");
        apply(Workload.local(withLocalResponder));
        RecordingScheduler.Task localLoop = scheduler.next();
        assertTrue(localLoop.delay().compareTo(Duration.ofMinutes(24)) >= 0, "agent.yml's own first delay");

        TargetConfig hub = new TargetConfig("collector", "hub", 862, 9863, 0);
        Slot slot = new Slot(60_000, 15_000, 0);
        apply(new Workload(withLocalResponder, "v1", Map.of(Sample.Kind.THROUGHPUT, List.of(new Scheduled(hub, slot))),
                List.of()));
        assertTrue(localLoop.future().isCancelled(), "the plan's test replaces agent.yml's");
        RecordingScheduler.Task planned = scheduler.next();
        assertEquals(slot.nextStartAtOrAfter(NOW) - NOW, planned.delay().toMillis());

        Slot moved = new Slot(60_000, 45_000, 0);
        Measurements.Change change = apply(new Workload(withLocalResponder, "v2",
                Map.of(Sample.Kind.THROUGHPUT, List.of(new Scheduled(hub, moved))), List.of()));
        assertEquals(new Measurements.Change(1, 1, 1), change, "the STAMP session to 'local' kept; the test moved");
        assertTrue(planned.future().isCancelled());
        assertEquals(moved.nextStartAtOrAfter(NOW) - NOW, scheduler.next().delay().toMillis());

        apply(new Workload(withLocalResponder, "v3", Map.of(Sample.Kind.THROUGHPUT, List.of()), List.of()));
        assertEquals(0, scheduler.pending(), "a plan without tests runs none, not agent.yml's");
    }

    /** A continuous prober that records its probes and stops by target name. */
    private final class Continuous implements Prober {
        final List<String> probed = new ArrayList<>();
        final List<String> stopped = new ArrayList<>();

        @Override
        public Sample.Kind kind() {
            return Sample.Kind.LATENCY;
        }

        @Override
        public boolean measures(TargetConfig target) {
            return target.stampPort() > 0;
        }

        @Override
        public Schedule schedule() {
            return new Schedule.Continuous();
        }

        @Override
        public Object settings() {
            return settings.get().latency();
        }

        @Override
        public CompletionStage<ProbeResult> probe(TargetConfig target, Instant deadline) {
            probed.add(target.name());
            return CompletableFuture.completedFuture(ProbeResult.NONE);
        }

        @Override
        public void stop(TargetConfig target) {
            stopped.add(target.name());
        }
    }

    /** A budgeted prober that never finishes a test (none is run here). */
    private final class Budgeted implements Prober {
        @Override
        public Sample.Kind kind() {
            return Sample.Kind.THROUGHPUT;
        }

        @Override
        public boolean measures(TargetConfig target) {
            return target.throughputPort() > 0;
        }

        @Override
        public Schedule schedule() {
            var t = settings.get().throughput();
            return new Schedule.Budgeted(t.every(), t.slipFraction(), t.firstDelayMin(), t.firstDelayMax(),
                    t.busyRetryMin(), t.busyRetryMax(), t.timeout(), t.maxBytesPerDay(), 0);
        }

        @Override
        public CompletionStage<ProbeResult> probe(TargetConfig target, Instant deadline) {
            return new CompletableFuture<>();
        }
    }
}
