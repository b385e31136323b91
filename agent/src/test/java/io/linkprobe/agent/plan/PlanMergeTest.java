package io.linkprobe.agent.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.agent.config.AgentConfig;
import io.linkprobe.agent.config.LatencySettings;
import io.linkprobe.agent.config.TargetConfig;
import io.linkprobe.common.config.ConfigLoader;
import io.linkprobe.common.wire.Plan;
import io.linkprobe.common.wire.Sample;
import io.linkprobe.common.wire.UnusablePlanException;
import java.time.Duration;
import io.linkprobe.agent.config.VideoSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Who decides what when a plan meets agent.yml. */
class PlanMergeTest {
    static final Plan.Responder HUB = new Plan.Responder("collector", "hub.example.net", 862, 9863);

    static Plan plan(List<Plan.Target> targets, Map<String, String> labels, Plan.Expected expected, Plan.Throughput t) {
        return new Plan("s1", "v1", labels, expected, targets, 10_000, new Plan.Latency(100, "periodic", 64, 2_000), t, null);
    }

    static Plan plan(List<Plan.Target> targets, Plan.Throughput t, Plan.Video v) {
        return new Plan("s1", "v1", Map.of(), Plan.Expected.NONE, targets, 10_000,
                new Plan.Latency(100, "periodic", 64, 2_000), t, v);
    }

    static Plan.Throughput every(long everyMillis, long offsetMillis) {
        return new Plan.Throughput(true, everyMillis, offsetMillis, 3_000, "down", 2, 0, 1_000_000_000, 10_000L, HUB, 1.0);
    }

    static AgentConfig local(String yaml) throws Exception {
        return ConfigLoader.parse("agent.yml", "site: s1\ncollector: {url: 'http://hub.example.net:9862'}\n" + yaml,
                AgentConfig.class);
    }

    @Test
    void aZeroConfigAgentRunsEverythingThePlanSays() throws Exception {
        Plan plan = plan(List.of(new Plan.Target("collector", "hub.example.net", 862, 0, 9862)),
                Map.of("link", "fttp"), new Plan.Expected(80, 20), every(60_000, 15_000));
        Workload w = PlanMerge.merge(local(""), plan);
        AgentConfig c = w.config();

        assertEquals("v1", w.planVersion());
        assertEquals(List.of(new TargetConfig("collector", "hub.example.net", 862, 0, 9862)), c.targets());
        assertEquals(Map.of("link", "fttp"), c.labels());
        assertEquals(new AgentConfig.Expected(80.0, 20.0), c.expected());
        assertEquals(Duration.ofSeconds(10), c.window());
        assertEquals(new LatencySettings(Duration.ofMillis(100), LatencySettings.Schedule.PERIODIC, 64,
                Duration.ofSeconds(2)), c.latency());
        assertEquals(Duration.ofMinutes(1), c.throughput().every());
        assertEquals(Duration.ofSeconds(3), c.throughput().duration());
        assertEquals("down", c.throughput().direction());
        assertEquals(2, c.throughput().streams());
        assertEquals(1_000_000_000L, c.throughput().maxBytesPerDay());
        assertEquals(Map.of(Sample.Kind.THROUGHPUT, List.of(new Scheduled(
                new TargetConfig("collector", "hub.example.net", 862, 9863, 0), new Slot(60_000, 15_000, 10_000)))), w.planned());
        assertTrue(w.notes().isEmpty());
    }

    @Test
    void agentYmlKeepsWhatIsLocalAndWhatThePlanLeavesOut() throws Exception {
        AgentConfig mine = local("""
                labels: {region: north}
                expected: {down_mbps: 40, up_mbps: 10}
                connect: {every: 30s}
                throughput: {loaded_probe_interval: 20ms, congestion_control: cubic, busy_retry_min: 10s, timeout: 5m}
                """);
        Workload w = PlanMerge.merge(mine, plan(List.of(), Map.of(), new Plan.Expected(80, 0), every(60_000, 0)));
        AgentConfig c = w.config();

        assertEquals(Map.of("region", "north"), c.labels(), "a plan without labels leaves agent.yml's");
        assertEquals(new AgentConfig.Expected(80.0, 10.0), c.expected(), "each rate the plan knows wins; 0 = not known");
        assertEquals(Duration.ofSeconds(30), c.connect().every());
        assertEquals(Duration.ofMillis(20), c.throughput().loadedProbeInterval());
        assertEquals("cubic", c.throughput().congestionControl());
        assertEquals(Duration.ofSeconds(10), c.throughput().busyRetryMin());
        assertEquals(Duration.ofMinutes(5), c.throughput().timeout());
        assertEquals(mine.collector(), c.collector());
        assertEquals(mine.stateDir(), c.stateDir());
    }

    @Test
    void localTargetsAreAddedAndOneWithAPlanTargetsNameOrReflectorReplacesItSayingSo() throws Exception {
        AgentConfig mine = local("""
                targets:
                  - {name: hub, host: 10.0.0.1, stamp_port: 862}
                  - {name: old-name, host: HUB.example.net, stamp_port: 862, throughput_port: 9863}
                  - {name: router, host: 192.0.2.1, stamp_port: 862}
                """);
        Plan plan = plan(List.of(new Plan.Target("hub", "hub2.example.net", 862, 0, 0),
                        new Plan.Target("collector", "hub.example.net", 862, 0, 0)),
                Map.of(), Plan.Expected.NONE, every(60_000, 0));
        Workload w = PlanMerge.merge(mine, plan);

        assertEquals(List.of("hub", "old-name", "router"), w.config().targets().stream().map(TargetConfig::name).toList());
        assertEquals("10.0.0.1", w.config().targets().get(0).host(), "the local target of the same name wins");
        assertEquals(List.of("agent.yml's target 'hub' replaces the plan's target 'hub'",
                "agent.yml's target 'old-name' replaces the plan's target 'collector' (the same host and stamp_port)",
                "agent.yml's target 'old-name': its throughput_port is not used; throughput tests run in the plan's slot "
                        + "on responder 'collector'"), w.notes());
        Scheduled test = w.planned().get(Sample.Kind.THROUGHPUT).get(0);
        assertEquals("old-name", test.target().name(), "throughput results carry the name of the reflector's target");
        assertEquals("hub.example.net", test.target().host());
        assertEquals(9863, test.target().throughputPort());
    }

    @Test
    void aPlanWithoutThroughputTestsSchedulesNoneAndAgentYmlDoesNotEither() throws Exception {
        Plan.Throughput off = new Plan.Throughput(false, 14_400_000, 0, 10_000, "both", 1, 0, 0, 0L, null, 1.0);
        Workload w = PlanMerge.merge(local("targets: [{name: hub, host: h, throughput_port: 9863}]\n"),
                plan(List.of(), Map.of(), Plan.Expected.NONE, off));
        assertEquals(List.of(), w.planned().get(Sample.Kind.THROUGHPUT), "the plan carries throughput: its answer is none");
        assertEquals(false, w.config().throughput().enabled());
    }

    @Test
    void thePlansVideoBlockSchedulesTheVideoTestInItsSlotWithAgentYmlsThresholds() throws Exception {
        Plan.Video v = new Plan.Video(true, 14_400_000, 3_600_000, 10_000, 3_000, 1500, 1000, 4, "EF", 50_000_000,
                35_000, HUB, 1.0);
        Workload w = PlanMerge.merge(local("video: {every: 1h, max_calls: 8, thresholds: {max_jitter_ms: 20}, timeout: 2m}\n"),
                plan(List.of(new Plan.Target("collector", "hub.example.net", 862, 0, 0)), every(60_000, 15_000), v));
        List<Scheduled> video = w.planned().get(Sample.Kind.VIDEO);
        assertEquals(1, video.size());
        assertEquals(new Slot(14_400_000, 3_600_000, 35_000), video.get(0).slot());
        assertEquals("collector", video.get(0).target().name(), "the responder's results carry the target's name");
        assertEquals(862, video.get(0).target().stampPort());
        VideoSettings s = w.config().video();
        assertEquals(java.time.Duration.ofHours(4), s.every());
        assertEquals(1500, s.rateKbps());
        assertEquals(1000, s.packetSize());
        assertEquals(4, s.maxCalls());
        assertEquals("EF", s.dscp());
        assertEquals(50_000_000, s.maxBytesPerDay());
        assertEquals(20.0, s.thresholds().maxJitterMs(), "thresholds stay agent.yml's");
        assertEquals(java.time.Duration.ofMinutes(2), s.timeout(), "agent.yml's timeout, longer than the plan's ladder");

        Plan.Video off = new Plan.Video(false, 14_400_000, 0, 20_000, 5_000, 1200, 1200, 8, "BE", 0, 60_000, null, 1.0);
        Workload none = PlanMerge.merge(local("targets: [{name: hub, host: h, stamp_port: 862, throughput_port: 9863}]\n"),
                plan(List.of(), every(60_000, 15_000), off));
        assertEquals(List.of(), none.planned().get(Sample.Kind.VIDEO), "off in the plan: no video test, not agent.yml's");
        assertEquals(false, none.config().video().enabled());

        Workload older = PlanMerge.merge(local("targets: [{name: hub, host: h, stamp_port: 862, throughput_port: 9863}]\n"),
                plan(List.of(), every(60_000, 15_000), null));
        assertEquals(null, older.planned().get(Sample.Kind.VIDEO), "no video block: agent.yml schedules it");
        assertEquals(VideoSettings.DEFAULTS, older.config().video());
    }

    @Test
    void aPlanThatBreaksAnAgentRuleOrIsForAnotherSiteIsUnusableSayingWhy() throws Exception {
        Plan fast = new Plan("s1", "v2", Map.of(), Plan.Expected.NONE, List.of(), 60_000,
                new Plan.Latency(5, "poisson", 44, 3_000), every(60_000, 0), null);
        assertEquals("unusable plan: latency.interval must be between 10ms and 60s",
                assertThrows(UnusablePlanException.class, () -> PlanMerge.merge(local(""), fast)).getMessage());

        Plan other = new Plan("s2", "v3", Map.of(), Plan.Expected.NONE, List.of(), 60_000,
                new Plan.Latency(200, "poisson", 44, 3_000), every(60_000, 0), null);
        assertEquals("unusable plan: it is for site 's2' and this agent is site 's1'; check that collector.token_file "
                        + "holds this site's token",
                assertThrows(UnusablePlanException.class, () -> PlanMerge.merge(local(""), other)).getMessage());

        Plan badName = plan(List.of(new Plan.Target("no spaces", "h", 862, 0, 0)), Map.of(), Plan.Expected.NONE,
                every(60_000, 0));
        assertTrue(assertThrows(UnusablePlanException.class, () -> PlanMerge.merge(local(""), badName)).getMessage()
                .startsWith("unusable plan: target name 'no spaces' may hold only"));
    }

    @Test
    void theSamePlanMergesToAnEqualWorkload() throws Exception {
        Plan plan = plan(List.of(), Map.of(), Plan.Expected.NONE, every(60_000, 5_000));
        assertEquals(PlanMerge.merge(local(""), plan), PlanMerge.merge(local(""), plan));
    }
}
