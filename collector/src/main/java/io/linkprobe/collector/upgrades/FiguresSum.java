package io.linkprobe.collector.upgrades;

import com.datadoghq.sketch.ddsketch.DDSketch;
import io.linkprobe.collector.archive.HourlyRollup;
import io.linkprobe.collector.archive.RollupSketches;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One side's {@link Figures} summed from {@link HourlyRollup}s, whether they come from the hourly
 * tier ({@link RollupEvidence}) or were built in memory from raw results ({@link RawEvidence}):
 * one computation for both, so a verdict does not change with the tier it reads. RTT p50/p95 come
 * from the hours' RTT sketches merged into one (DDSketch merges exactly, bin by bin, so this is the
 * percentile of every RTT of the side within 1 %); loss is the windows' lost packets per direction
 * over their sent packets; throughput takes the steady rate of every {@code ok} test, so medians
 * and 10th percentiles are those of the tests themselves; the grade is the median bufferbloat grade
 * of the graded tests.
 */
final class FiguresSum {
    private final List<Double> down = new ArrayList<>();
    private final List<Double> up = new ArrayList<>();
    private final List<String> grades = new ArrayList<>();
    private final DDSketch rtt = RollupSketches.empty();
    private long windows;
    private long sent;
    private long lostUp;
    private long lostDown;

    void add(HourlyRollup h) {
        HourlyRollup.Latency l = h.latency();
        if (l != null && l.sent() > 0) {
            windows += l.windows();
            sent += l.sent();
            lostUp += l.lostForward();
            lostDown += l.lostBackward();
            if (l.rttMicros() != null) {
                rtt.mergeWith(l.rttMicros());
            }
        }
        for (HourlyRollup.Test t : h.tests()) {
            if (!"ok".equals(t.result())) {
                continue;
            }
            ("up".equals(t.direction()) ? up : down).add(t.steadyBytesPerSecond() * 8 / 1e6);
            if (t.grade() != null) {
                grades.add(t.grade());
            }
        }
    }

    Figures figures() {
        List<String> sorted = new ArrayList<>(grades);
        sorted.sort(null);
        boolean rtts = !rtt.isEmpty();
        return new Figures(down.size(), up.size(), quantile(down, 0.5), quantile(down, 0.1),
                quantile(up, 0.5), quantile(up, 0.1), windows,
                rtts ? rtt.getValueAtQuantile(0.5) / 1000 : Double.NaN,
                rtts ? rtt.getValueAtQuantile(0.95) / 1000 : Double.NaN,
                sent == 0 ? Double.NaN : (double) lostUp / sent, sent == 0 ? Double.NaN : (double) lostDown / sent,
                sorted.isEmpty() ? null : sorted.get((sorted.size() - 1) / 2), null);
    }

    /** The {@code q} quantile by linear interpolation between closest ranks; NaN when empty. */
    static double quantile(List<Double> values, double q) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        double rank = q * (v.length - 1);
        int lo = (int) Math.floor(rank);
        int hi = Math.min(v.length - 1, lo + 1);
        return v[lo] + (v[hi] - v[lo]) * (rank - lo);
    }
}
