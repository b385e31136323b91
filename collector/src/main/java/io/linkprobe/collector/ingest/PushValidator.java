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
import io.linkprobe.common.wire.PushBatch;
import io.linkprobe.common.wire.Sample;
import io.linkprobe.common.wire.ThroughputResult;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks a parsed push before anything is stored: names that become label values, counts that
 * feed counters, times, enumerations. The first problem refuses the whole batch with one line
 * saying where ({@code samples[3].direction}) and what is wrong, because a batch stored in part
 * cannot be replayed safely. Site ids, agent ids, target names and labels follow {@link Names},
 * the rule the agent's config validation applies too, so that a config that passes
 * {@code check-config} is never refused here for a name.
 */
public final class PushValidator {
    /** A day of 60 s windows for a handful of targets: more in one push is a bug, not a backlog. */
    static final int MAX_SAMPLES_PER_PUSH = 10_000;
    /** Agents' clocks may run a little fast; a result from further in the future is a broken clock. */
    static final long MAX_FUTURE_MILLIS = 10 * 60_000;
    /** 2020-01-01: anything earlier is an unset clock, not an old measurement. */
    static final long MIN_EPOCH_MILLIS = 1_577_836_800_000L;
    static final Set<String> DIRECTIONS = Set.of("down", "up");
    static final Set<String> RESULTS = Arrays.stream(ThroughputResult.Outcome.values())
            .map(ThroughputResult.Outcome::wireName).collect(Collectors.toUnmodifiableSet());

    private final Limits limits;

    public PushValidator(Limits limits) {
        this.limits = limits;
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
            sample("samples[" + i + "]", batch.samples().get(i), nowMillis);
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

    private void sample(String where, Sample sample, long nowMillis) {
        if (sample == null) {
            throw new Malformed(where + " is null");
        }
        long end = sample.endEpochMillis();
        if (end < MIN_EPOCH_MILLIS || end > nowMillis + MAX_FUTURE_MILLIS) {
            throw new Malformed(where + ".end_epoch_millis " + end + " is not a plausible time; check the agent's clock");
        }
        sample.accept(new SampleChecks(where));
    }

    /**
     * The checks of one sample, one method per kind: a new kind does not compile until it says
     * what of it must be checked, and a kind's further rules go in its own method.
     */
    private final class SampleChecks implements Sample.Visitor<Void> {
        private final String where;

        SampleChecks(String where) {
            this.where = where;
        }

        @Override
        public Void latency(LatencyWindow w) {
            name(where + ".target", w.target(), limits.maxLabelValueLength());
            counts(where, "sent", w.sent(), "received", w.received(), "lost_forward", w.lostForward(),
                    "lost_backward", w.lostBackward(), "duplicates", w.duplicates(), "reordered", w.reordered());
            finite(where + ".jitter_micros", w.jitterMicros());
            if (w.rtt() != null) {
                LatencyWindow.RttSummary r = w.rtt();
                for (double v : new double[] {r.min(), r.p50(), r.p90(), r.p99(), r.max(), r.mean()}) {
                    finite(where + ".rtt", v);
                }
            }
            if (w.rttMicros() != null) {
                for (int v : w.rttMicros()) {
                    if (v < 0) {
                        throw new Malformed(where + ".rtt_micros holds a negative value " + v);
                    }
                }
            }
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
            counts(where, "bytes", r.bytes(), "streams", r.streams());
            rate(where + ".steady_bytes_per_second", r.steadyBytesPerSecond());
            rate(where + ".mean_bytes_per_second", r.meanBytesPerSecond());
            if (r.tcp() != null) {
                counts(where, "tcp.retransmits", r.tcp().retransmits());
                String cc = r.tcp().congestionControl();
                if (cc != null && !CongestionControl.isName(cc)) {
                    throw new Malformed(where + ".tcp.congestion_control '" + Names.printable(cc)
                            + "' is not an algorithm name (1-15 of a-z, 0-9, _)");
                }
            }
            if (r.loaded() != null) {
                finite(where + ".loaded.loaded_rtt_p50_micros", r.loaded().loadedRttP50Micros());
                // A difference of two medians: on a link that does not bloat, noise makes it
                // slightly negative, and that is a measurement, not a malformed push.
                if (!Double.isFinite(r.loaded().bufferbloatMicros())) {
                    throw new Malformed(where + ".loaded.bufferbloat_micros must be a finite number, not "
                            + r.loaded().bufferbloatMicros());
                }
                if (r.loaded().grade() != null) {
                    labelValue(where + ".loaded.grade", r.loaded().grade(), 8);
                }
            }
            return null;
        }

        @Override
        public Void connect(ConnectResult c) {
            name(where + ".target", c.target(), limits.maxLabelValueLength());
            if (c.connectMicros() != null) {
                finite(where + ".connect_micros", c.connectMicros());
            }
            return null;
        }

        @Override
        public Void health(AgentHealth h) {
            counts(where, "spool_dropped_total", h.spoolDroppedTotal(), "spool_pending", h.spoolPending());
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

    private static void labelValue(String where, String value, int maxLength) {
        String problem = Names.labelValueProblem(value, maxLength);
        if (problem != null) {
            throw new Malformed(where + " " + problem);
        }
    }

    private static void counts(String where, Object... namesAndValues) {
        for (int i = 0; i < namesAndValues.length; i += 2) {
            long v = ((Number) namesAndValues[i + 1]).longValue();
            if (v < 0) {
                throw new Malformed(where + "." + namesAndValues[i] + " is negative (" + v + ")");
            }
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
