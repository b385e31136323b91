package io.linkprobe.collector.archive;

import com.datadoghq.sketch.ddsketch.DDSketch;
import io.linkprobe.common.wire.AgentHealth;
import io.linkprobe.common.wire.ConnectResult;
import io.linkprobe.common.wire.LatencyWindow;
import io.linkprobe.common.wire.Sample;
import io.linkprobe.common.wire.ThroughputResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the hourly rollups of one site from its raw results: per target and hour, everything that
 * ended in the hour. Fed every sample of the hours being rolled up; samples outside them and
 * samples about no target (the agent's health) are left out. Public for the upgrade verdicts,
 * which build the same summaries in memory from the raw tier when their windows are shorter than
 * an hour (io.linkprobe.collector.upgrades.RawEvidence).
 */
public final class RollupBuilder implements Sample.Visitor<Void> {
    private final String site;
    private final long fromMillis;
    private final long toMillis;
    private final Map<Key, Hour> hours = new TreeMap<>();
    private long hourMillis;

    private record Key(long hourMillis, String target) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = Long.compare(hourMillis, o.hourMillis);
            return c != 0 ? c : target.compareTo(o.target);
        }
    }

    /** What one hour of one target adds up to so far. */
    private static final class Hour {
        long windows;
        long sent;
        long received;
        long lostForward;
        long lostBackward;
        long duplicates;
        long reordered;
        double rttMin = Double.NaN;
        double rttMax = Double.NaN;
        double rttWeightedSum;
        long rttWeight;
        double jitterSum;
        double jitterMax = Double.NaN;
        long jitterCount;
        DDSketch rtt;
        long connectAttempts;
        long connectFailures;
        DDSketch connect;
        final List<HourlyRollup.Test> tests = new ArrayList<>();
    }

    /**
     * Rolls up what of {@code site} ended in {@code [fromMillis, toMillis)} (hour boundaries for the
     * rollup job; any instants for an in-memory summary of a shorter window).
     */
    public RollupBuilder(String site, long fromMillis, long toMillis) {
        this.site = site;
        this.fromMillis = fromMillis;
        this.toMillis = toMillis;
    }

    public void add(Sample s) {
        long end = s.endEpochMillis();
        if (s.target() == null || end < fromMillis || end >= toMillis) {
            return;
        }
        hourMillis = Math.floorDiv(end, ArchiveBatch.HOUR_MILLIS) * ArchiveBatch.HOUR_MILLIS;
        s.accept(this);
    }

    private Hour hour(String target) {
        return hours.computeIfAbsent(new Key(hourMillis, target), k -> new Hour());
    }

    @Override
    public Void latency(LatencyWindow w) {
        Hour h = hour(w.target());
        h.windows++;
        h.sent += w.sent();
        h.received += w.received();
        h.lostForward += w.lostForward();
        h.lostBackward += w.lostBackward();
        h.duplicates += w.duplicates();
        h.reordered += w.reordered();
        if (w.rtt() != null) {
            h.rttMin = Double.isNaN(h.rttMin) ? w.rtt().min() : Math.min(h.rttMin, w.rtt().min());
            h.rttMax = Double.isNaN(h.rttMax) ? w.rtt().max() : Math.max(h.rttMax, w.rtt().max());
            h.rttWeightedSum += w.rtt().mean() * w.received();
            h.rttWeight += w.received();
            h.jitterSum += w.jitterMicros();
            h.jitterMax = Double.isNaN(h.jitterMax) ? w.jitterMicros() : Math.max(h.jitterMax, w.jitterMicros());
            h.jitterCount++;
        }
        if (w.rttMicros() != null && w.rttMicros().length > 0) {
            if (h.rtt == null) {
                h.rtt = RollupSketches.empty();
            }
            for (int v : w.rttMicros()) {
                h.rtt.accept(Math.max(v, 1));
            }
        }
        return null;
    }

    @Override
    public Void throughput(ThroughputResult r) {
        ThroughputResult.LoadedLatency loaded = r.loaded();
        hour(r.target()).tests.add(new HourlyRollup.Test(r.endEpochMillis(), r.direction(), r.result(),
                r.steadyBytesPerSecond(), loaded == null ? null : loaded.loadedRttP50Micros(),
                loaded == null ? null : loaded.bufferbloatMicros(), loaded == null ? null : loaded.grade()));
        return null;
    }

    @Override
    public Void connect(ConnectResult c) {
        Hour h = hour(c.target());
        h.connectAttempts++;
        if (!c.success() || c.connectMicros() == null) {
            h.connectFailures++;
        } else {
            if (h.connect == null) {
                h.connect = RollupSketches.empty();
            }
            h.connect.accept(Math.max(c.connectMicros(), 1));
        }
        return null;
    }

    @Override
    public Void health(AgentHealth health) {
        return null;
    }

    /** The rollups built, by hour then target. */
    public List<HourlyRollup> rollups() {
        List<HourlyRollup> out = new ArrayList<>(hours.size());
        for (Map.Entry<Key, Hour> e : hours.entrySet()) {
            Hour h = e.getValue();
            HourlyRollup.Latency latency = h.windows == 0 ? null : new HourlyRollup.Latency(h.windows, h.sent,
                    h.received, h.lostForward, h.lostBackward, h.duplicates, h.reordered, nan(h.rttMin), nan(h.rttMax),
                    h.rttWeight == 0 ? null : h.rttWeightedSum / h.rttWeight,
                    h.jitterCount == 0 ? null : h.jitterSum / h.jitterCount, nan(h.jitterMax), h.rtt);
            HourlyRollup.Connect connect = h.connectAttempts == 0 ? null
                    : new HourlyRollup.Connect(h.connectAttempts, h.connectFailures, h.connect);
            h.tests.sort(Comparator.comparingLong(HourlyRollup.Test::endEpochMillis));
            out.add(new HourlyRollup(site, e.getKey().target(), e.getKey().hourMillis(), latency, connect, h.tests));
        }
        return out;
    }

    private static Double nan(double v) {
        return Double.isNaN(v) ? null : v;
    }
}
