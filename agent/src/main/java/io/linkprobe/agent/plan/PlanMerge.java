package io.linkprobe.agent.plan;

import io.linkprobe.agent.config.AgentConfig;
import io.linkprobe.agent.config.LatencySettings;
import io.linkprobe.agent.config.TargetConfig;
import io.linkprobe.agent.config.ThroughputSettings;
import io.linkprobe.agent.config.VideoSettings;
import io.linkprobe.common.wire.Plan;
import io.linkprobe.common.wire.Sample;
import io.linkprobe.common.wire.UnusablePlanException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A plan merged with {@code agent.yml}: who decides what, in code.
 *
 * <ul>
 *   <li>The plan decides what it carries: the window, the latency settings, the throughput
 *       schedule (period, slot, duration, direction, streams, byte limits) and its responder, the
 *       labels when it has any and each contracted rate it knows (non-zero).
 *   <li>{@code agent.yml} keeps what is local: site, collector, state and spool, TCP connect
 *       settings, and how a test is run on this host (the loaded-probe rate, congestion control,
 *       busy retry, the stuck-test timeout), and every rate or label the plan leaves out.
 *   <li>Targets: the plan's, then {@code agent.yml}'s added. A local target with the name of a
 *       plan target, or with its host and {@code stamp_port}, replaces it (noted once): two STAMP
 *       sessions to one reflector would measure the same thing twice.
 *   <li>Throughput tests run only towards the plan's responder, in its slot: that is what the
 *       collector reserved. Video-readiness tests likewise, in their own slot, when the plan carries
 *       a {@code video} block (the call's rate, packet size, durations, {@code max_calls}, DSCP
 *       and daily budget are the plan's; thresholds and audio assumptions stay {@code agent.yml}'s);
 *       a plan without one (an older collector) leaves them to {@code agent.yml}.
 * </ul>
 *
 * <p>The plan's values go through the rules {@code agent.yml}'s do (its setting records): a plan
 * that breaks one, or that is for another site, is unusable, with that rule's message as the reason.
 */
public final class PlanMerge {
    private PlanMerge() {}

    public static Workload merge(AgentConfig local, Plan plan) throws UnusablePlanException {
        if (!plan.site().equals(local.site())) {
            throw new UnusablePlanException("it is for site '" + plan.site() + "' and this agent is site '"
                    + local.site() + "'; check that collector.token_file holds this site's token");
        }
        List<String> notes = new ArrayList<>();
        try {
            Plan.Throughput t = plan.throughput();
            Plan.Video v = plan.video();
            List<TargetConfig> targets = targets(local, plan, notes);
            AgentConfig effective = new AgentConfig(local.site(), local.agentId(), local.stateDir(), local.collector(),
                    plan.labels().isEmpty() ? local.labels() : plan.labels(), expected(local.expected(), plan.expected()),
                    Duration.ofMillis(plan.windowMillis()), latency(plan.latency()), local.connect(),
                    throughput(local.throughput(), t), v == null ? local.video() : video(local.video(), v), local.spool(),
                    targets);
            List<Scheduled> tests = t.enabled()
                    ? List.of(new Scheduled(responder(t.responder(), targets), new Slot(t.everyMillis(), t.offsetMillis(), t.slotMillis())))
                    : List.of();
            Map<Sample.Kind, List<Scheduled>> planned = new java.util.EnumMap<>(Sample.Kind.class);
            planned.put(Sample.Kind.THROUGHPUT, tests);
            if (v != null) {
                planned.put(Sample.Kind.VIDEO, v.enabled()
                        ? List.of(new Scheduled(responder(v.responder(), targets), new Slot(v.everyMillis(), v.offsetMillis(), v.slotMillis())))
                        : List.of());
            }
            return new Workload(effective, plan.version(), planned, notes);
        } catch (IllegalArgumentException e) {
            // A setting record's rule (InvalidValue) or the slot's: the message is the reason.
            throw new UnusablePlanException(e.getMessage());
        }
    }

    private static List<TargetConfig> targets(AgentConfig local, Plan plan, List<String> notes) {
        Map<String, TargetConfig> merged = new LinkedHashMap<>();
        for (Plan.Target p : plan.targets()) {
            merged.put(p.name(), new TargetConfig(p.name(), p.host(), p.stampPort(), 0, p.connectPort()));
        }
        Plan.Responder responder = plan.throughput().enabled() ? plan.throughput().responder() : null;
        for (TargetConfig mine : local.targets()) {
            TargetConfig replaced = merged.get(mine.name());
            if (replaced == null) {
                replaced = merged.values().stream().filter(p -> sameReflector(p, mine)).findFirst().orElse(null);
            }
            if (replaced != null) {
                merged.remove(replaced.name());
                notes.add("agent.yml's target '" + mine.name() + "' replaces the plan's target '" + replaced.name() + "'"
                        + (replaced.name().equals(mine.name()) ? "" : " (the same host and stamp_port)"));
            }
            if (mine.throughputPort() > 0 && plan.throughput().enabled()) {
                notes.add("agent.yml's target '" + mine.name() + "': its throughput_port is not used; throughput tests run "
                        + "in the plan's slot on responder '" + responder.name() + "'");
            }
            merged.put(mine.name(), mine);
        }
        return List.copyOf(merged.values());
    }

    private static boolean sameReflector(TargetConfig a, TargetConfig b) {
        return a.stampPort() > 0 && a.stampPort().equals(b.stampPort()) && a.host().equalsIgnoreCase(b.host());
    }

    /**
     * The responder as a target. Its results carry the name of the target that is the same
     * reflector, if any (so that a site's latency and throughput series share a target label),
     * else the responder's name.
     */
    private static TargetConfig responder(Plan.Responder r, List<TargetConfig> targets) {
        // A target must measure something (stamp or connect); a responder without a STAMP port is
        // still a throughput far end, so its throughput port stands in for the connect port, which
        // no prober reads from a scheduled test's target.
        TargetConfig asTarget = new TargetConfig(r.name(), r.host(), r.stampPort(), r.throughputPort(),
                r.stampPort() == 0 ? r.throughputPort() : 0);
        String name = targets.stream().filter(t -> t.name().equals(r.name()) || sameReflector(t, asTarget))
                .map(TargetConfig::name).findFirst().orElse(r.name());
        return name.equals(r.name()) ? asTarget
                : new TargetConfig(name, r.host(), r.stampPort(), r.throughputPort(), asTarget.connectPort());
    }

    /**
     * The plan's video test with this host's thresholds and audio assumptions. The stuck-test
     * timeout grows to the plan's longest ladder if agent.yml's is shorter; first delay and slip
     * are left to their defaults (a slot decides when tests start).
     */
    private static VideoSettings video(VideoSettings local, Plan.Video v) {
        Duration duration = Duration.ofMillis(v.durationMillis());
        Duration step = Duration.ofMillis(v.stepDurationMillis());
        Duration longest = VideoSettings.longestTest(duration, step, v.maxCalls());
        Duration timeout = local.timeout().compareTo(longest) < 0 ? longest : local.timeout();
        return new VideoSettings(v.enabled(), Duration.ofMillis(v.everyMillis()), v.rateKbps(), v.packetSize(), duration,
                step, v.maxCalls(), v.dscp(), local.maxBytesPerTest(), v.maxBytesPerDay(), null, null, null, timeout,
                local.thresholds(), local.audio());
    }

    private static AgentConfig.Expected expected(AgentConfig.Expected local, Plan.Expected plan) {
        return new AgentConfig.Expected(plan.downMbps() > 0 ? plan.downMbps() : local.downMbps(),
                plan.upMbps() > 0 ? plan.upMbps() : local.upMbps());
    }

    private static LatencySettings latency(Plan.Latency l) {
        return new LatencySettings(Duration.ofMillis(l.intervalMillis()),
                LatencySettings.Schedule.valueOf(l.schedule().toUpperCase(Locale.ROOT)), l.packetSize(),
                Duration.ofMillis(l.timeoutMillis()));
    }

    /**
     * The plan's schedule and limits with this host's way of running a test. The first-test delay
     * and the slip are left to their defaults: a slot decides when tests start.
     */
    private static ThroughputSettings throughput(ThroughputSettings local, Plan.Throughput t) {
        Duration duration = Duration.ofMillis(t.durationMillis());
        Duration timeout = local.timeout().compareTo(duration.multipliedBy(2)) < 0 ? duration.multipliedBy(2) : local.timeout();
        return new ThroughputSettings(t.enabled(), Duration.ofMillis(t.everyMillis()), duration, t.streams(), t.direction(),
                t.maxBytesPerTest(), t.maxBytesPerDay(), local.loadedProbeInterval(), local.congestionControl(),
                local.slipFraction(), null, null, local.busyRetryMin(), local.busyRetryMax(), timeout);
    }
}
