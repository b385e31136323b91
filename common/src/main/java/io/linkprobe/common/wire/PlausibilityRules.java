package io.linkprobe.common.wire;

import static io.linkprobe.common.wire.Plausibility.MAX_CLOCK_SKEW_MILLIS;
import static io.linkprobe.common.wire.Plausibility.MAX_CONNECT_MICROS;
import static io.linkprobe.common.wire.Plausibility.MAX_RATE_BYTES_PER_SECOND;
import static io.linkprobe.common.wire.Plausibility.MAX_RTT_MICROS;
import static io.linkprobe.common.wire.Plausibility.MAX_TEST_SECONDS;
import static io.linkprobe.common.wire.Plausibility.MEAN_TOLERANCE;
import static io.linkprobe.common.wire.Plausibility.MIN_EPOCH_MILLIS;
import static io.linkprobe.common.wire.Plausibility.SPAN_SLACK_SECONDS;

import java.time.Instant;
import java.util.List;

/**
 * The rules of {@link Plausibility}, one method per kind: a new kind does not compile until it
 * states its rules. Each throws {@link Implausible} at the first field that breaks one.
 */
final class PlausibilityRules implements Sample.Visitor<Void> {
    /** More calls or ladder steps than these is a bug: the agent climbs to at most 32 calls in at most 7 steps. */
    static final int MAX_VIDEO_CALLS = 1_000;
    static final int MAX_VIDEO_STEPS = 16;
    static final PlausibilityRules INSTANCE = new PlausibilityRules();

    private PlausibilityRules() {}

    @Override
    public Void latency(LatencyWindow w) {
        span(w.startEpochMillis(), w.endEpochMillis());
        counts("sent", w.sent(), "received", w.received(), "lost_forward", w.lostForward(),
                "lost_backward", w.lostBackward(), "duplicates", w.duplicates(), "reordered", w.reordered(),
                "bytes_sent", w.bytesSent(), "bytes_received", w.bytesReceived());
        atMost("lost_forward", w.lostForward(), w.sent(), "sent");
        atMost("lost_backward", w.lostBackward(), w.sent(), "sent");
        if (saturatedAdd(w.lostForward(), w.lostBackward()) > w.sent()) {
            fail("lost_forward", "+ lost_backward = " + (w.lostForward() + w.lostBackward())
                    + " is more than sent " + w.sent());
        }
        long ceiling = saturatedAdd(w.sent(), w.duplicates());
        if (w.received() > ceiling) {
            fail("received", w.received() + " is more than sent " + w.sent() + " + duplicates " + w.duplicates());
        }
        if (saturatedAdd(w.received(), saturatedAdd(w.lostForward(), w.lostBackward())) > ceiling) {
            fail("received", "+ lost_forward + lost_backward = " + (w.received() + w.lost())
                    + " is more than sent " + w.sent() + " + duplicates " + w.duplicates()
                    + ": a packet is either received or lost, once");
        }
        atMost("reordered", w.reordered(), w.received(), "received");
        double bound = rttBoundMicros(w.timeoutMillis());
        String boundText = w.timeoutMillis() == null ? "the longest probe timeout (" + MAX_RTT_MICROS / 1_000_000 + " s)"
                : "the window's probe timeout (" + w.timeoutMillis() + " ms)";
        LatencyWindow.RttSummary r = w.rtt();
        if (r == null && w.received() > 0) {
            fail("rtt", "is missing though " + w.received() + " replies were received");
        }
        if (r != null) {
            if (w.received() == 0) {
                fail("rtt", "is given though no reply was received");
            }
            List<String> names = List.of("rtt.min", "rtt.p50", "rtt.p90", "rtt.p99", "rtt.max");
            double[] ordered = {r.min(), r.p50(), r.p90(), r.p99(), r.max()};
            for (int i = 0; i < ordered.length; i++) {
                within(names.get(i), ordered[i], bound, boundText);
                if (i > 0 && ordered[i] < ordered[i - 1]) {
                    fail(names.get(i), ordered[i] + " is below " + names.get(i - 1) + " " + ordered[i - 1]);
                }
            }
            within("rtt.mean", r.mean(), bound, boundText);
            double slack = 1e-9 * r.max() + 1e-6;
            if (r.mean() < r.min() - slack || r.mean() > r.max() + slack) {
                fail("rtt.mean", r.mean() + " is outside [rtt.min " + r.min() + ", rtt.max " + r.max() + "]");
            }
        }
        int[] raw = w.rttMicros();
        if (raw != null) {
            if (raw.length > w.received()) {
                fail("rtt_micros", "holds " + raw.length + " values for " + w.received() + " replies received");
            }
            for (int i = 0; i < raw.length; i++) {
                within("rtt_micros[" + i + "]", raw[i], bound, boundText);
            }
        }
        within("jitter_micros", w.jitterMicros(), bound, boundText);
        if (w.ipdvP50Micros() != null) {
            within("ipdv_p50_micros", w.ipdvP50Micros(), bound, boundText);
        }
        if (w.ipdvP99Micros() != null) {
            within("ipdv_p99_micros", w.ipdvP99Micros(), bound, boundText);
            if (w.ipdvP50Micros() != null && w.ipdvP99Micros() < w.ipdvP50Micros()) {
                fail("ipdv_p99_micros", w.ipdvP99Micros() + " is below ipdv_p50_micros " + w.ipdvP50Micros());
            }
        }
        // One-way delays may be slightly negative (the clocks' stated error), never beyond an RTT.
        if (w.forwardDelayMicrosP50() != null) {
            withinMagnitude("forward_delay_micros_p50", w.forwardDelayMicrosP50(), bound, boundText);
        }
        if (w.backwardDelayMicrosP50() != null) {
            withinMagnitude("backward_delay_micros_p50", w.backwardDelayMicrosP50(), bound, boundText);
        }
        return null;
    }

    @Override
    public Void throughput(ThroughputResult r) {
        span(r.startEpochMillis(), r.endEpochMillis());
        counts("bytes", r.bytes(), "streams", r.streams(), "interval_millis", r.intervalMillis());
        for (int i = 0; i < r.intervalBytes().size(); i++) {
            Long b = r.intervalBytes().get(i);
            if (b == null || b < 0) {
                fail("interval_bytes[" + i + "]", "must be a count ≥ 0, not " + b);
            }
        }
        within("seconds", r.seconds(), MAX_TEST_SECONDS, "the longest test (" + (long) MAX_TEST_SECONDS + " s)");
        double spanSeconds = (r.endEpochMillis() - r.startEpochMillis()) / 1000.0;
        if (r.seconds() > spanSeconds + SPAN_SLACK_SECONDS) {
            fail("seconds", r.seconds() + " is longer than the test's own span from start_epoch_millis to "
                    + "end_epoch_millis (" + spanSeconds + " s)");
        }
        String rateBound = "400 Gbit/s (" + MAX_RATE_BYTES_PER_SECOND + " B/s)";
        within("steady_bytes_per_second", r.steadyBytesPerSecond(), MAX_RATE_BYTES_PER_SECOND, rateBound);
        within("mean_bytes_per_second", r.meanBytesPerSecond(), MAX_RATE_BYTES_PER_SECOND, rateBound);
        if (r.seconds() > 0) {
            double implied = r.meanBytesPerSecond() * r.seconds();
            if (Math.abs(implied - r.bytes()) > MEAN_TOLERANCE * r.bytes() + 1) {
                fail("mean_bytes_per_second", r.meanBytesPerSecond() + " × seconds " + r.seconds() + " = "
                        + Math.round(implied) + " bytes, but bytes is " + r.bytes());
            }
        } else if (r.meanBytesPerSecond() > 0) {
            fail("mean_bytes_per_second", r.meanBytesPerSecond() + " is given for a test of 0 seconds");
        }
        if (r.intervalMillis() > 0) {
            double oneInterval = r.steadyBytesPerSecond() * r.intervalMillis() / 1000.0;
            if (oneInterval > 2.0 * r.bytes() + 65_536) {
                fail("steady_bytes_per_second", r.steadyBytesPerSecond() + " would move " + Math.round(oneInterval)
                        + " bytes in one " + r.intervalMillis() + " ms interval, but the test moved " + r.bytes());
            }
        }
        ThroughputResult.TcpInfo tcp = r.tcp();
        if (tcp != null) {
            counts("tcp.retransmits", tcp.retransmits());
            if (tcp.minRttMicros() != null) {
                within("tcp.min_rtt_micros", tcp.minRttMicros(), MAX_RTT_MICROS, "60 s");
            }
            if (tcp.sendCwndSegments() != null) {
                counts("tcp.send_cwnd_segments", tcp.sendCwndSegments());
            }
        }
        ThroughputResult.LoadedLatency l = r.loaded();
        if (l != null) {
            counts("loaded.probes_sent", l.probesSent(), "loaded.probes_received", l.probesReceived());
            atMost("loaded.probes_received", l.probesReceived(), l.probesSent(), "loaded.probes_sent");
            String rttBound = "the longest probe timeout (" + MAX_RTT_MICROS / 1_000_000 + " s)";
            within("loaded.idle_rtt_p50_micros", l.idleRttP50Micros(), MAX_RTT_MICROS, rttBound);
            within("loaded.loaded_rtt_p50_micros", l.loadedRttP50Micros(), MAX_RTT_MICROS, rttBound);
            within("loaded.loaded_rtt_p90_micros", l.loadedRttP90Micros(), MAX_RTT_MICROS, rttBound);
            if (l.loadedRttP90Micros() < l.loadedRttP50Micros()) {
                fail("loaded.loaded_rtt_p90_micros", l.loadedRttP90Micros() + " is below loaded.loaded_rtt_p50_micros "
                        + l.loadedRttP50Micros());
            }
            // Loaded minus idle median: slightly negative on a link that does not bloat.
            withinMagnitude("loaded.bufferbloat_micros", l.bufferbloatMicros(), MAX_RTT_MICROS, rttBound);
            finite("loaded.rpm", l.rpm());
        }
        return null;
    }

    @Override
    public Void connect(ConnectResult c) {
        if (c.port() < 0 || c.port() > 65_535) {
            fail("port", c.port() + " is not a TCP port");
        }
        if (c.success() && c.connectMicros() == null) {
            fail("connect_micros", "is missing for a successful connect");
        }
        if (!c.success() && c.connectMicros() != null) {
            fail("connect_micros", "is given for a failed connect");
        }
        if (c.connectMicros() != null) {
            within("connect_micros", c.connectMicros(), MAX_CONNECT_MICROS, "the longest connect timeout (1 h)");
        }
        return null;
    }

    /** A call's figures: counts, percentages, MOS on G.107's curve, a ladder the agent could have climbed. */
    @Override
    public Void video(VideoResult r) {
        span(r.startEpochMillis(), r.endEpochMillis());
        counts("bytes", r.bytes(), "rate_kbps", r.rateKbps(), "packet_size", r.packetSize(), "calls", r.calls());
        atMost("calls", r.calls(), MAX_VIDEO_CALLS, "the most calls a ladder climbs to");
        if (r.dscp() < 0 || r.dscp() > 63) {
            fail("dscp", r.dscp() + " is not a DiffServ code point (0-63)");
        }
        if (r.replyDscp() != null && (r.replyDscp() < 0 || r.replyDscp() > 63)) {
            fail("reply_dscp", r.replyDscp() + " is not a DiffServ code point (0-63)");
        }
        within("seconds", r.seconds(), MAX_TEST_SECONDS, "the longest test (" + (long) MAX_TEST_SECONDS + " s)");
        if (r.ladder().size() > MAX_VIDEO_STEPS) {
            fail("ladder", "has " + r.ladder().size() + " steps; the agent climbs at most " + MAX_VIDEO_STEPS);
        }
        String rttBound = "the longest probe timeout (" + MAX_RTT_MICROS / 1_000_000 + " s)";
        if (r.rttP50Micros() != null) {
            within("rtt_p50_micros", r.rttP50Micros(), MAX_RTT_MICROS, rttBound);
        }
        if (r.rttP95Micros() != null) {
            within("rtt_p95_micros", r.rttP95Micros(), MAX_RTT_MICROS, rttBound);
            if (r.rttP50Micros() != null && r.rttP95Micros() < r.rttP50Micros()) {
                fail("rtt_p95_micros", r.rttP95Micros() + " is below rtt_p50_micros " + r.rttP50Micros());
            }
        }
        if (r.mos() != null) {
            mos("mos", r.mos());
        }
        if (r.up() != null) {
            direction("up", r.up());
        }
        if (r.down() != null) {
            direction("down", r.down());
        }
        if ("ok".equals(r.result()) && (r.mos() == null || r.up() == null || r.down() == null)) {
            fail("result", "is ok but mos, up or down is missing");
        }
        for (int i = 0; i < r.ladder().size(); i++) {
            VideoResult.Step s = r.ladder().get(i);
            String at = "ladder[" + i + "]";
            counts(at + ".calls", s.calls(), at + ".bytes", s.bytes());
            atMost(at + ".calls", s.calls(), MAX_VIDEO_CALLS, "the most calls a ladder climbs to");
            percent(at + ".loss_percent", s.lossPercent());
            within(at + ".jitter_micros", s.jitterMicros(), MAX_RTT_MICROS, rttBound);
            within(at + ".seconds", s.seconds(), MAX_TEST_SECONDS, "the longest test (" + (long) MAX_TEST_SECONDS + " s)");
            mos(at + ".mos", s.mos());
            if (s.rttP95Micros() != null) {
                within(at + ".rtt_p95_micros", s.rttP95Micros(), MAX_RTT_MICROS, rttBound);
            }
        }
        return null;
    }

    private static void direction(String at, VideoResult.Direction d) {
        counts(at + ".packets", d.packets(), at + ".lost", d.lost(), at + ".late", d.late(),
                at + ".longest_burst", d.longestBurst(), at + ".reordered", d.reordered());
        atMost(at + ".lost", d.lost(), d.packets(), "packets");
        atMost(at + ".longest_burst", d.longestBurst(), d.lost(), "lost");
        percent(at + ".loss_percent", d.lossPercent());
        String rttBound = "the longest probe timeout (" + MAX_RTT_MICROS / 1_000_000 + " s)";
        within(at + ".jitter_micros", d.jitterMicros(), MAX_RTT_MICROS, rttBound);
        within(at + ".delay_variation_micros", d.delayVariationMicros(), MAX_RTT_MICROS, rttBound);
        within(at + ".delivered_bytes_per_second", d.deliveredBytesPerSecond(), MAX_RATE_BYTES_PER_SECOND,
                "400 Gbit/s");
        finite(at + ".burst_ratio", d.burstRatio());
        mos(at + ".mos", d.mos());
    }

    private static void percent(String field, double v) {
        within(field, v, 100, "100 %");
    }

    /** G.107 Annex B's MOS curve dips to 0.989 near R = 6.5 before it rises, so the floor is just below 1. */
    private static void mos(String field, double v) {
        if (!(v >= 0.98 && v <= 4.5)) {
            fail(field, v + " is not a G.107 MOS (0.98-4.5)");
        }
    }

    @Override
    public Void health(AgentHealth h) {
        counts("uptime_seconds", h.uptimeSeconds(), "spool_bytes", h.spoolBytes(), "spool_pending", h.spoolPending(),
                "spool_dropped_total", h.spoolDroppedTotal(), "push_failures_total", h.pushFailuresTotal());
        if (h.spoolRecoveredTotal() != null) {
            counts("spool_recovered_total", h.spoolRecoveredTotal());
        }
        if (h.spoolRecoveredAtMillis() != null
                && (h.spoolRecoveredAtMillis() < MIN_EPOCH_MILLIS || h.spoolRecoveredAtMillis() > h.endEpochMillis())) {
            fail("spool_recovered_at_millis", h.spoolRecoveredAtMillis() + " is not a time between 2020 and the "
                    + "sample's own end_epoch_millis " + h.endEpochMillis());
        }
        if (h.implausibleDroppedTotal() != null) {
            counts("implausible_dropped_total", h.implausibleDroppedTotal());
        }
        return null;
    }

    private static double rttBoundMicros(Long timeoutMillis) {
        if (timeoutMillis == null || timeoutMillis <= 0 || timeoutMillis > MAX_RTT_MICROS / 1_000) {
            return MAX_RTT_MICROS;
        }
        return timeoutMillis * 1_000.0;
    }

    static void time(String field, long millis, Plausibility.TimeRange range) {
        if (millis < range.oldestMillis()) {
            fail(field, millis + " (" + Instant.ofEpochMilli(millis) + ") is before " + Instant.ofEpochMilli(range.oldestMillis())
                    + ", the oldest time kept; check the agent's clock");
        }
        if (millis > range.newestMillis()) {
            fail(field, millis + " (" + Instant.ofEpochMilli(millis) + ") is more than " + MAX_CLOCK_SKEW_MILLIS / 60_000
                    + " minutes in the future; check the agent's clock");
        }
    }

    private static void span(long startMillis, long endMillis) {
        if (startMillis < MIN_EPOCH_MILLIS) {
            fail("start_epoch_millis", startMillis + " is before 2020: an unset clock");
        }
        if (startMillis > endMillis) {
            fail("start_epoch_millis", startMillis + " is after end_epoch_millis " + endMillis);
        }
    }

    private static void counts(Object... namesAndValues) {
        for (int i = 0; i < namesAndValues.length; i += 2) {
            long v = ((Number) namesAndValues[i + 1]).longValue();
            if (v < 0) {
                fail((String) namesAndValues[i], "is negative (" + v + ")");
            }
        }
    }

    private static void atMost(String field, long value, long bound, String boundName) {
        if (value > bound) {
            fail(field, value + " is more than " + boundName + " " + bound);
        }
    }

    private static void finite(String field, double v) {
        if (!Double.isFinite(v) || v < 0) {
            fail(field, "must be a finite number ≥ 0, not " + v);
        }
    }

    private static void within(String field, double v, double bound, String boundText) {
        finite(field, v);
        if (v > bound) {
            fail(field, v + " is beyond " + boundText);
        }
    }

    private static void withinMagnitude(String field, double v, double bound, String boundText) {
        if (!Double.isFinite(v)) {
            fail(field, "must be a finite number, not " + v);
        }
        if (Math.abs(v) > bound) {
            fail(field, v + " is beyond ±" + boundText);
        }
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    private static void fail(String field, String message) {
        throw new Implausible(new Plausibility.Problem(field, message));
    }

    /** Thrown inside the rules, caught by {@link Plausibility#check}: the first problem ends the check. */
    static final class Implausible extends RuntimeException {
        final Plausibility.Problem problem;

        Implausible(Plausibility.Problem problem) {
            super(null, null, false, false);
            this.problem = problem;
        }
    }
}
