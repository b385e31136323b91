package io.linkprobe.common.video;

import io.linkprobe.common.wire.VideoResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a call must show to be {@code ready}, with the published guidance each default comes from.
 *
 * <p><b>Limits</b> — failing any one makes the call {@code not_ready}:
 * <ul>
 * <li>{@code loss_up}, {@code loss_down}: loss below {@code maxLossPercent} (1 %) in each direction
 *     — Microsoft Teams media requirements, packet loss &lt; 1 %;
 * <li>{@code jitter_up}, {@code jitter_down}: jitter below {@code maxJitterMillis} (30 ms) — Teams,
 *     packet inter-arrival jitter &lt; 30 ms;
 * <li>{@code one_way_delay}: half the RTT p95 at most {@code maxOneWayMillis} (150 ms) — ITU-T
 *     G.114 one-way delay and NHS Near Me (Attend Anywhere) latency ≤ 150 ms;
 * <li>{@code rate_down}, {@code rate_up}: the call's delivered rate at least {@code minDownKbps}
 *     (1,100) and {@code minUpKbps} (700) — NHS Near Me's bandwidth for a video consultation;
 * <li>{@code mos}: MOS at least {@code minMos} (3.6, R = 70: below it "many users dissatisfied",
 *     ITU-T G.107 Annex B / G.109).
 * </ul>
 * <p><b>Targets</b> — missing one (every limit met) makes the call {@code marginal}:
 * <ul>
 * <li>{@code rtt}: RTT p95 below {@code targetRttMillis} (100 ms) — Teams' round-trip target;
 * <li>{@code mos_target}: MOS at least {@code targetMos} (4.0, R = 80: "users satisfied", G.109).
 * </ul>
 * Otherwise the call is {@code ready}.
 */
public record Thresholds(double maxLossPercent, double maxJitterMillis, double maxOneWayMillis, double targetRttMillis,
        double minDownKbps, double minUpKbps, double minMos, double targetMos) {
    public static final Thresholds DEFAULTS = new Thresholds(1.0, 30, 150, 100, 1100, 700, 3.6, 4.0);

    /** The verdict on one call, the thresholds it failed (limits first) and a line saying so with the figures. */
    public record Judgement(VideoResult.Verdict verdict, List<String> failed, String reason) {
        public Judgement {
            failed = List.copyOf(failed);
        }
    }

    public Judgement judge(CallFigures f) {
        List<String> failed = new ArrayList<>();
        List<String> why = new ArrayList<>();
        limitBelow(failed, why, "loss_up", "loss up", f.up().lossPercent(), maxLossPercent, "%");
        limitBelow(failed, why, "loss_down", "loss down", f.down().lossPercent(), maxLossPercent, "%");
        limitBelow(failed, why, "jitter_up", "jitter up", f.up().jitterMicros() / 1e3, maxJitterMillis, "ms");
        limitBelow(failed, why, "jitter_down", "jitter down", f.down().jitterMicros() / 1e3, maxJitterMillis, "ms");
        if (f.rttP95Micros() == null) {
            failed.add("one_way_delay");
            why.add("no packet came back");
        } else if (f.rttP95Micros() / 2e3 > maxOneWayMillis) {
            failed.add("one_way_delay");
            why.add(String.format(Locale.ROOT, "one-way delay %.0f ms > %.0f ms", f.rttP95Micros() / 2e3, maxOneWayMillis));
        }
        limitAtLeast(failed, why, "rate_down", "rate down", f.down().deliveredBytesPerSecond() * 8 / 1e3, minDownKbps, "kbit/s");
        limitAtLeast(failed, why, "rate_up", "rate up", f.up().deliveredBytesPerSecond() * 8 / 1e3, minUpKbps, "kbit/s");
        limitAtLeast(failed, why, "mos", "MOS", f.mos(), minMos, "");
        if (!failed.isEmpty()) {
            return new Judgement(VideoResult.Verdict.NOT_READY, failed, String.join(", ", why));
        }
        if (f.rttP95Micros() / 1e3 >= targetRttMillis) {
            failed.add("rtt");
            why.add(String.format(Locale.ROOT, "RTT p95 %.0f ms ≥ %.0f ms target", f.rttP95Micros() / 1e3, targetRttMillis));
        }
        if (f.mos() < targetMos) {
            failed.add("mos_target");
            why.add(String.format(Locale.ROOT, "MOS %.2f < %.1f target", f.mos(), targetMos));
        }
        if (!failed.isEmpty()) {
            return new Judgement(VideoResult.Verdict.MARGINAL, failed, String.join(", ", why));
        }
        return new Judgement(VideoResult.Verdict.READY, failed, null);
    }

    private static void limitBelow(List<String> failed, List<String> why, String name, String label, double value,
            double limit, String unit) {
        if (value >= limit) {
            failed.add(name);
            why.add(String.format(Locale.ROOT, "%s %s %s ≥ %s %s", label, figure(value), unit, figure(limit), unit));
        }
    }

    private static void limitAtLeast(List<String> failed, List<String> why, String name, String label, double value,
            double limit, String unit) {
        if (value < limit) {
            failed.add(name);
            why.add(String.format(Locale.ROOT, "%s %s%s < %s%s", label, figure(value), unit.isEmpty() ? "" : " " + unit,
                    figure(limit), unit.isEmpty() ? "" : " " + unit));
        }
    }

    private static String figure(double v) {
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
