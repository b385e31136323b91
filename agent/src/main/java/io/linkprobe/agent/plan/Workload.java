package io.linkprobe.agent.plan;

import io.linkprobe.agent.config.AgentConfig;
import io.linkprobe.common.wire.Sample;
import java.util.List;
import java.util.Map;

/**
 * What the agent measures now: its {@code agent.yml}, merged with the collector's plan when it has
 * one ({@link PlanMerge}). Immutable; equal workloads measure the same, so applying one equal to
 * the running one changes nothing.
 *
 * @param config the effective settings every prober reads: targets, labels, contracted rates,
 *     window, latency and throughput settings
 * @param planVersion the plan's version; null when the agent runs {@code agent.yml} alone
 * @param planned the tests the plan schedules, by kind: each towards its target in its slot. A
 *     kind the plan schedules none of maps to an empty list; a kind the plan does not carry (an
 *     older collector, a test kind it does not schedule) is absent, and {@code agent.yml}'s own
 *     schedule and targets apply to it
 * @param notes what the merge wants the operator to know (a local target that replaced one of the
 *     plan's), logged once when the workload is applied
 */
public record Workload(AgentConfig config, String planVersion, Map<Sample.Kind, List<Scheduled>> planned,
        List<String> notes) {

    public Workload {
        planned = Map.copyOf(planned);
        notes = List.copyOf(notes);
    }

    /** {@code agent.yml} alone: its targets, its settings, its own schedule for every test. */
    public static Workload local(AgentConfig config) {
        return new Workload(config, null, Map.of(), List.of());
    }

    public boolean runsPlan() {
        return planVersion != null;
    }

    /** What the agent runs, in a few words for a log line. */
    public String describe() {
        return runsPlan() ? "plan " + planVersion : "agent.yml alone";
    }
}
