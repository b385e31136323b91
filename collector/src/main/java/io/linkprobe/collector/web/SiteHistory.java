package io.linkprobe.collector.web;

import io.linkprobe.collector.archive.ArchiveException;
import io.linkprobe.collector.archive.HourlyRollup;
import io.linkprobe.collector.archive.Tier;
import io.linkprobe.common.wire.ConnectResult;
import io.linkprobe.common.wire.LatencyWindow;
import io.linkprobe.common.wire.ThroughputResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a site page plots over its {@link PlotRange}, read from the archive tier that covers the
 * range ({@code Archive.tierFor}), which the page names above the plots:
 * <ul>
 * <li>raw, 24 h: every 60 s window as pushed, with its own p50 and p90; loss summed per minute;
 * <li>raw, longer: 10-minute means of the windows' p50 and p90, loss summed per 10 minutes, read
 *     a day at a time, so that a week of raw RTTs is never in memory at once;
 * <li>hourly: a point per hour from the hour's rollup (p50 and p90 of all RTTs in the hour, from its
 *     sketch; loss summed), and from the start of the previous hour on, which the rollup job may not
 *     have reached yet, the raw windows.
 * </ul>
 * Throughput tests are kept one by one in both tiers, so their plot is the same from either.
 */
final class SiteHistory {
    static final long HOUR = 3_600_000L;
    static final long BUCKET_MILLIS = 10 * 60_000L;
    private static final long DAY = ArchivedResults.DAY.toMillis();
    /** Windows are 60 s apart: a longer hole is missing data and is drawn as a gap. */
    private static final long WINDOW_GAP_MILLIS = 150_000;

    /** A named series: times ascending, one or two values per time (NaN for none). */
    record Series(String name, long[] times, double[] first, double[] second) {}

    final PlotRange range;
    final long fromMillis;
    final Tier tier;
    final String note;
    /** Points further apart than this are not joined. */
    final long gapMillis;
    /** Per target: p50 and p90 in ms. */
    final List<Series> rtt;
    /** Loss summed over targets: up and down in %. */
    final Series loss;
    /** Per target: connect time in ms. */
    final List<Series> connect;
    /** A day of the range held more windows than a page reads: the plots show the newest of that day. */
    final boolean truncated;
    final long throughputFromMillis;
    final Tier throughputTier;
    /** Successful tests, down and up, in Mbit/s. */
    final Series down;
    final Series up;

    private SiteHistory(Builder b) {
        this.range = b.range;
        this.fromMillis = b.from;
        this.tier = b.tier;
        this.note = b.note;
        this.gapMillis = b.gap;
        this.rtt = b.rtt.series(s -> s[1] == 0 ? Double.NaN : s[0] / s[1], s -> s[3] == 0 ? Double.NaN : s[2] / s[3]);
        this.loss = b.loss.series(s -> s[0] == 0 ? Double.NaN : 100 * s[1] / s[0],
                s -> s[0] == 0 ? Double.NaN : 100 * s[2] / s[0]).stream().findFirst()
                .orElse(new Series("loss", new long[0], new double[0], new double[0]));
        this.connect = b.connect.series(s -> s[1] == 0 ? Double.NaN : s[0] / s[1], s -> Double.NaN);
        this.truncated = b.truncated;
        this.throughputFromMillis = b.throughputFrom;
        this.throughputTier = b.throughputTier;
        List<Series> rates = b.rates.series(s -> s[1] == 0 ? Double.NaN : s[0] / s[1], s -> Double.NaN);
        this.down = rates.stream().filter(s -> s.name().equals("down")).findFirst().orElse(null);
        this.up = rates.stream().filter(s -> s.name().equals("up")).findFirst().orElse(null);
    }

    /**
     * @param lastDay the site's windows of the last 24 h, newest first, as the page read them for its tables
     * @param lastDayConnects its connect probes of the last 24 h
     * @param lastWeekTests its throughput tests of the last 7 days
     */
    static SiteHistory load(ArchivedResults archived, String site, PlotRange range, long now,
            List<LatencyWindow> lastDay, List<ConnectResult> lastDayConnects, List<ThroughputResult> lastWeekTests)
            throws ArchiveException {
        Builder b = new Builder(range, now, archived.tierFor(now - range.span.toMillis(), now),
                archived.tierFor(now - range.throughputSpan().toMillis(), now));
        long split = Math.floorDiv(now, HOUR) * HOUR - HOUR;
        if (b.tier == Tier.HOURLY || b.throughputTier == Tier.HOURLY) {
            long oldest = Math.min(b.from, b.throughputFrom);
            for (HourlyRollup r : archived.rollups(site, Math.floorDiv(oldest, HOUR) * HOUR, split)) {
                b.add(r);
            }
        }
        if (b.tier == Tier.RAW) {
            long bucket = range == PlotRange.DAY ? 0 : BUCKET_MILLIS;
            b.note = bucket == 0 ? "raw tier: every 60 s window with its p50 and p90, loss summed per minute"
                    : "raw tier: 10-minute means of the p50 and p90 of the 60 s windows, loss summed per 10 minutes";
            b.gap = bucket == 0 ? WINDOW_GAP_MILLIS : 2 * BUCKET_MILLIS + BUCKET_MILLIS / 2;
            b.addWindows(lastDay, bucket, Long.MIN_VALUE);
            b.addConnects(lastDayConnects, bucket, Long.MIN_VALUE);
            for (long to = now - DAY; to > b.from; to -= DAY) {
                List<LatencyWindow> day = archived.windows(site, Math.max(b.from, to - DAY), to,
                        ArchivedResults.MAX_WINDOWS + 1);
                b.truncated |= day.size() > ArchivedResults.MAX_WINDOWS;
                b.addWindows(day, bucket, Long.MIN_VALUE);
                b.addConnects(archived.connects(site, Math.max(b.from, to - DAY), to, SitePage.MAX_CONNECTS), bucket,
                        Long.MIN_VALUE);
            }
        } else {
            b.note = "hourly tier: a point per hour, p50 and p90 of all RTTs in the hour, loss summed, the median"
                    + " connect time; from " + Format.clock(split) + " UTC on the raw 60 s windows, not rolled up yet";
            b.gap = 2 * HOUR + HOUR / 2;
            b.addWindows(lastDay, 0, split);
            b.addConnects(lastDayConnects, 0, split);
        }
        if (b.throughputTier == Tier.RAW) {
            b.addTests(range.throughputSpan().equals(SitePage.THROUGHPUT_SPAN) ? lastWeekTests
                    : archived.tests(site, now, range.throughputSpan(), SitePage.MAX_TESTS * 5), Long.MIN_VALUE);
        } else {
            b.addTests(lastWeekTests, split);
        }
        return new SiteHistory(b);
    }

    /** Accumulates sums per series and time; a series is a mean or a ratio of its sums. */
    private static final class Sums {
        private final int width;
        private final Map<String, TreeMap<Long, double[]>> byName = new LinkedHashMap<>();

        Sums(int width) {
            this.width = width;
        }

        void add(String name, long time, double... values) {
            double[] sums = byName.computeIfAbsent(name, n -> new TreeMap<>()).computeIfAbsent(time, t -> new double[width]);
            for (int i = 0; i < width; i++) {
                sums[i] += values[i];
            }
        }

        List<Series> series(java.util.function.ToDoubleFunction<double[]> first,
                java.util.function.ToDoubleFunction<double[]> second) {
            List<Series> out = new ArrayList<>();
            for (Map.Entry<String, TreeMap<Long, double[]>> e : byName.entrySet()) {
                int n = e.getValue().size();
                long[] t = new long[n];
                double[] a = new double[n];
                double[] b = new double[n];
                int k = 0;
                for (Map.Entry<Long, double[]> p : e.getValue().entrySet()) {
                    t[k] = p.getKey();
                    a[k] = first.applyAsDouble(p.getValue());
                    b[k] = second.applyAsDouble(p.getValue());
                    k++;
                }
                out.add(new Series(e.getKey(), t, a, b));
            }
            return out;
        }
    }

    private static final class Builder {
        final PlotRange range;
        final long from;
        final long throughputFrom;
        final Tier tier;
        final Tier throughputTier;
        final Sums rtt = new Sums(4);
        final Sums loss = new Sums(3);
        final Sums connect = new Sums(2);
        final Sums rates = new Sums(2);
        String note;
        long gap;
        boolean truncated;

        Builder(PlotRange range, long now, Tier tier, Tier throughputTier) {
            this.range = range;
            this.from = now - range.span.toMillis();
            this.throughputFrom = now - range.throughputSpan().toMillis();
            this.tier = tier;
            this.throughputTier = throughputTier;
        }

        /** Each window at its end (bucket 0) or in its bucket's middle; only those ending at or after {@code since}. */
        void addWindows(List<LatencyWindow> windows, long bucket, long since) {
            for (LatencyWindow w : windows) {
                long end = w.endEpochMillis();
                if (end < from || end < since) {
                    continue;
                }
                long t = at(end, bucket);
                if (w.rtt() != null) {
                    rtt.add(w.target(), t, w.rtt().p50() / 1000, 1, w.rtt().p90() / 1000, 1);
                } else {
                    rtt.add(w.target(), t, 0, 0, 0, 0);
                }
                if (w.received() > 0) { // no reply at all: shown as "no reply", not as loss in one direction
                    loss.add("loss", bucket == 0 ? Math.floorDiv(end, 60_000L) * 60_000L : t, w.sent(), w.lostForward(),
                            w.lostBackward());
                }
            }
        }

        void addConnects(List<ConnectResult> connects, long bucket, long since) {
            for (ConnectResult c : connects) {
                long end = c.endEpochMillis();
                if (end < from || end < since) {
                    continue;
                }
                boolean timed = c.connectMicros() != null;
                connect.add(c.target(), at(end, bucket), timed ? c.connectMicros() / 1000 : 0, timed ? 1 : 0);
            }
        }

        void addTests(List<ThroughputResult> tests, long since) {
            for (ThroughputResult r : tests) {
                if (r.endEpochMillis() >= throughputFrom && r.endEpochMillis() >= since && "ok".equals(r.result())) {
                    rates.add(r.direction(), r.endEpochMillis(), r.steadyBytesPerSecond() * 8 / 1e6, 1);
                }
            }
        }

        /** One hour of one target, plotted at the middle of the hour. */
        void add(HourlyRollup r) {
            long t = r.hourMillis() + HOUR / 2;
            HourlyRollup.Latency l = r.latency();
            if (tier == Tier.HOURLY && r.hourMillis() + HOUR > from && l != null) {
                if (l.rttMicros() != null && !l.rttMicros().isEmpty()) {
                    double[] q = l.rttMicros().getValuesAtQuantiles(new double[] {0.5, 0.9});
                    rtt.add(r.target(), t, q[0] / 1000, 1, q[1] / 1000, 1);
                } else {
                    rtt.add(r.target(), t, 0, 0, 0, 0);
                }
                if (l.received() > 0) { // a target that answered nothing all hour is "no reply", not loss up
                    loss.add("loss", t, l.sent(), l.lostForward(), l.lostBackward());
                }
            }
            HourlyRollup.Connect c = r.connect();
            if (tier == Tier.HOURLY && r.hourMillis() + HOUR > from && c != null && c.connectMicros() != null
                    && !c.connectMicros().isEmpty()) {
                connect.add(r.target(), t, c.connectMicros().getValueAtQuantile(0.5) / 1000, 1);
            }
            if (throughputTier == Tier.HOURLY) {
                for (HourlyRollup.Test test : r.tests()) {
                    if (test.endEpochMillis() >= throughputFrom && "ok".equals(test.result())) {
                        rates.add(test.direction(), test.endEpochMillis(), test.steadyBytesPerSecond() * 8 / 1e6, 1);
                    }
                }
            }
        }

        private static long at(long end, long bucket) {
            return bucket == 0 ? end : Math.floorDiv(end, bucket) * bucket + bucket / 2;
        }
    }
}
