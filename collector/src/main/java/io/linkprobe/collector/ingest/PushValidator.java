package io.linkprobe.collector.ingest;

import io.linkprobe.collector.config.Limits;
import io.linkprobe.collector.http.RefusedException;
import io.linkprobe.collector.http.RejectReason;
import io.linkprobe.common.net.CongestionControl;
import io.linkprobe.common.wire.AgentHealth;
import io.linkprobe.common.wire.AgentIdentity;
import io.linkprobe.common.wire.ConnectResult;
import io.linkprobe.common.wire.LatencyWindow;
import io.linkprobe.common.wire.Names;
import io.linkprobe.common.wire.Plausibility;
import io.linkprobe.common.wire.PushBatch;
import io.linkprobe.common.wire.Sample;
import io.linkprobe.common.wire.ThroughputResult;
import io.linkprobe.common.wire.VideoResult;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks a parsed push before anything is stored. Two kinds of refusal, both 400 and both naming
 * the field ({@code samples[3].direction}), because a batch stored in part cannot be replayed
 * safely: the push's <em>form</em> (names that become label values, enumerations, the agent's
 * identity) is {@code malformed}; a sample whose values cannot all be true ({@code lost_forward}
 * 10¹² for 24 sent, an RTT of 10³⁰⁸ µs, a time outside the archive's retention) is
 * {@code implausible}, by {@link Plausibility}, the rules the agent applies before it spools.
 * Site ids, agent ids, target names and labels follow {@link Names}, the rule the agent's config
 * validation applies too, so that a config that passes {@code check-config} is never refused here
 * for a name.
 */
public final class PushValidator {
    /** A day of 60 s windows for a handful of targets: more in one push is a bug, not a backlog. */
    static final int MAX_SAMPLES_PER_PUSH = 10_000;
    static final Set<String> DIRECTIONS = Set.of("down", "up");
    static final Set<String> RESULTS = Arrays.stream(ThroughputResult.Outcome.values())
            .map(ThroughputResult.Outcome::wireName).collect(Collectors.toUnmodifiableSet());
    static final Set<String> VIDEO_RESULTS = Arrays.stream(VideoResult.Outcome.values())
            .map(VideoResult.Outcome::wireName).collect(Collectors.toUnmodifiableSet());
    static final Set<String> VIDEO_VERDICTS = Arrays.stream(VideoResult.Verdict.values())
            .map(VideoResult.Verdict::wireName).collect(Collectors.toUnmodifiableSet());
    static final Set<String> VIDEO_LIMITS = Arrays.stream(VideoResult.CallsLimit.values())
            .map(VideoResult.CallsLimit::wireName).collect(Collectors.toUnmodifiableSet());

    private final Limits limits;
    private final Duration retention;

    /** @param retention the archive's raw retention: a sample older than it would not be kept, so it is refused */
    public PushValidator(Limits limits, Duration retention) {
        this.limits = limits;
        this.retention = retention;
    }

    public void validate(PushBatch batch, long nowMillis) throws RefusedException {
        try {
            check(batch, nowMillis);
        } catch (Malformed e) {
            throw new RefusedException(RejectReason.MALFORMED, "malformed push: " + e.getMessage());
        }
    }

    private void check(PushBatch batch, long nowMillis) throws RefusedException {
        AgentIdentity agent = batch.agent();
        if (agent == null) {
            throw new Malformed("'agent' is missing");
        }
        name("agent.site", agent.site(), Names.MAX_NAME_LENGTH);
        name("agent.agent_id", agent.agentId(), limits.maxLabelValueLength());
        if (agent.version() != null) {
            labelValue("agent.version", agent.version(), 64);
        }
        if (agent.revision() != null) {
            labelValue("agent.revision", agent.revision(), 64);
        }
        if (agent.javaVersion() != null) {
            labelValue("agent.java_version", agent.javaVersion(), 64);
        }
        labels(agent.labels());
        if (agent.expected() != null) {
            rate("agent.expected.down_bytes_per_second", agent.expected().downBytesPerSecond());
            rate("agent.expected.up_bytes_per_second", agent.expected().upBytesPerSecond());
        }
        if (batch.sequence() < 0) {
            throw new Malformed("'sequence' is " + batch.sequence() + "; sequences start at 0");
        }
        if (batch.samples().size() > MAX_SAMPLES_PER_PUSH) {
            throw new Malformed(batch.samples().size() + " samples in one push; at most " + MAX_SAMPLES_PER_PUSH);
        }
        for (int i = 0; i < batch.samples().size(); i++) {
            Sample sample = batch.samples().get(i);
            String where = "samples[" + i + "]";
            if (sample == null) {
                throw new Malformed(where + " is null");
            }
            sample.accept(new FormChecks(where));
        }
        Plausibility.TimeRange range = Plausibility.TimeRange.collector(nowMillis, retention);
        for (int i = 0; i < batch.samples().size(); i++) {
            Plausibility.Problem problem = Plausibility.check(batch.samples().get(i), range);
            if (problem != null) {
                throw new RefusedException(RejectReason.IMPLAUSIBLE, "implausible push: samples[" + i + "]."
                        + problem.field() + " " + problem.message());
            }
        }
    }

    private void labels(Map<String, String> labels) throws RefusedException {
        if (labels.size() > limits.maxLabelsPerSite()) {
            throw new RefusedException(RejectReason.MAX_LABELS, "the agent declares " + labels.size()
                    + " labels; at most " + limits.maxLabelsPerSite() + " are allowed (limits.max_labels_per_site)");
        }
        for (Map.Entry<String, String> label : labels.entrySet()) {
            String problem = Names.labelKeyProblem(label.getKey());
            if (problem != null) {
                throw new RefusedException(RejectReason.MAX_LABELS, "agent.labels: " + problem);
            }
            problem = Names.labelValueProblem(label.getValue(), limits.maxLabelValueLength());
            if (problem != null) {
                throw new RefusedException(RejectReason.MAX_LABELS, "agent.labels." + label.getKey() + " " + problem
                        + " (limits.max_label_value_length)");
            }
        }
    }

    /**
     * The form of one sample, one method per kind: names, enumerations and the text that becomes
     * label values or HTML. Its values are {@link Plausibility}'s.
     */
    private final class FormChecks implements Sample.Visitor<Void> {
        private final String where;

        FormChecks(String where) {
            this.where = where;
        }

        @Override
        public Void latency(LatencyWindow w) {
            name(where + ".target", w.target(), limits.maxLabelValueLength());
            return null;
        }

        @Override
        public Void throughput(ThroughputResult r) {
            name(where + ".target", r.target(), limits.maxLabelValueLength());
            if (r.direction() == null || !DIRECTIONS.contains(r.direction())) {
                throw new Malformed(where + ".direction '" + Names.printable(r.direction()) + "' is not down or up");
            }
            if (r.result() == null || !RESULTS.contains(r.result())) {
                throw new Malformed(where + ".result '" + Names.printable(r.result()) + "' is not one of " + RESULTS);
            }
            if (r.tcp() != null) {
                String cc = r.tcp().congestionControl();
                if (cc != null && !CongestionControl.isName(cc)) {
                    throw new Malformed(where + ".tcp.congestion_control '" + Names.printable(cc)
                            + "' is not an algorithm name (1-15 of a-z, 0-9, _)");
                }
            }
            if (r.loaded() != null && r.loaded().grade() != null) {
                labelValue(where + ".loaded.grade", r.loaded().grade(), 8);
            }
            return null;
        }

        @Override
        public Void connect(ConnectResult c) {
            name(where + ".target", c.target(), limits.maxLabelValueLength());
            return null;
        }

        /** The verdict, outcome and failed thresholds become label values and a gauge: only the known names pass. */
        @Override
        public Void video(VideoResult r) {
            name(where + ".target", r.target(), limits.maxLabelValueLength());
            oneOf(where + ".result", r.result(), VIDEO_RESULTS);
            if (!VideoResult.Outcome.OK.wireName().equals(r.result())) {
                return null;
            }
            oneOf(where + ".verdict", r.verdict(), VIDEO_VERDICTS);
            oneOf(where + ".calls_limit", r.callsLimit(), VIDEO_LIMITS);
            for (String name : r.failed()) {
                labelValue(where + ".failed", name, 32);
            }
            for (int i = 0; i < r.ladder().size(); i++) {
                VideoResult.Step s = r.ladder().get(i);
                oneOf(where + ".ladder[" + i + "].verdict", s.verdict(), VIDEO_VERDICTS);
                for (String name : s.failed()) {
                    labelValue(where + ".ladder[" + i + "].failed", name, 32);
                }
            }
            return null;
        }

        @Override
        public Void health(AgentHealth h) {
            if (h.planVersion() != null) {
                name(where + ".plan_version", h.planVersion(), Names.MAX_NAME_LENGTH);
            }
            return null;
        }
    }

    private static void name(String where, String value, int maxLength) {
        String problem = Names.nameProblem(value, maxLength);
        if (problem != null) {
            throw new Malformed(where + " " + problem);
        }
    }

    private static void oneOf(String where, String value, Set<String> allowed) {
        if (value == null || !allowed.contains(value)) {
            throw new Malformed(where + " '" + Names.printable(value) + "' is not one of " + allowed);
        }
    }

    private static void labelValue(String where, String value, int maxLength) {
        String problem = Names.labelValueProblem(value, maxLength);
        if (problem != null) {
            throw new Malformed(where + " " + problem);
        }
    }

    private static void rate(String where, double v) {
        finite(where, v);
    }

    private static void finite(String where, double v) {
        if (!Double.isFinite(v) || v < 0) {
            throw new Malformed(where + " must be a finite number ≥ 0, not " + v);
        }
    }

    /** A malformed push, thrown from inside the checks and answered as one 400 by {@link #validate}. */
    private static final class Malformed extends RuntimeException {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }
}
