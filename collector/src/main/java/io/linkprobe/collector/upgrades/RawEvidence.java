package io.linkprobe.collector.upgrades;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.linkprobe.collector.archive.Archive;
import io.linkprobe.collector.archive.ArchiveException;
import io.linkprobe.collector.archive.StoredSample;
import io.linkprobe.common.wire.Json;
import io.linkprobe.common.wire.LatencyWindow;
import io.linkprobe.common.wire.Sample;
import io.linkprobe.common.wire.ThroughputResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@link UpgradeEvidence} from the archive's raw results, read a day at a time so a 28-day side
 * never holds more than one day's rows. RTT p50 is the median of the windows' p50s and RTT p95 the
 * 95th percentile of the windows' p90s (the raw RTT lists are skipped: too many to pool over weeks);
 * loss is summed over the windows per direction; throughput takes the steady rate of each
 * {@code ok} test.
 */
public final class RawEvidence implements UpgradeEvidence {
    private static final long DAY = 86_400_000L;
    /** One day of one site: 1,440 windows towards many targets, or throughput tests. */
    private static final int DAY_LIMIT = 100_000;
    private static final ObjectMapper MAPPER = Json.mapper().copy().addMixIn(LatencyWindow.class, WithoutRawRtts.class);
    private static final ObjectReader LATENCY = MAPPER.readerFor(LatencyWindow.class);
    private static final ObjectReader THROUGHPUT = MAPPER.readerFor(ThroughputResult.class);

    @JsonIgnoreProperties({"rtt_micros"})
    private abstract static class WithoutRawRtts {}

    private final Archive archive;

    public RawEvidence(Archive archive) {
        this.archive = archive;
    }

    @Override
    public Figures figures(String site, long fromMillis, long toMillis) throws ArchiveException {
        List<Double> down = new ArrayList<>();
        List<Double> up = new ArrayList<>();
        List<String> grades = new ArrayList<>();
        List<Double> p50s = new ArrayList<>();
        List<Double> p90s = new ArrayList<>();
        long windows = 0;
        long sent = 0;
        long lostUp = 0;
        long lostDown = 0;
        for (long from = fromMillis; from < toMillis; from += DAY) {
            long to = Math.min(toMillis, from + DAY);
            for (StoredSample row : archive.recent(site, Sample.Kind.THROUGHPUT.wireName(), from, to, DAY_LIMIT)) {
                ThroughputResult t = read(THROUGHPUT, row);
                if (t == null || !ThroughputResult.Outcome.OK.wireName().equals(t.result())) {
                    continue;
                }
                double mbps = t.steadyBytesPerSecond() * 8 / 1e6;
                ("up".equals(t.direction()) ? up : down).add(mbps);
                if (t.loaded() != null && t.loaded().grade() != null) {
                    grades.add(t.loaded().grade());
                }
            }
            for (StoredSample row : archive.recent(site, Sample.Kind.LATENCY.wireName(), from, to, DAY_LIMIT)) {
                LatencyWindow w = read(LATENCY, row);
                if (w == null || w.sent() == 0) {
                    continue;
                }
                windows++;
                sent += w.sent();
                lostUp += w.lostForward();
                lostDown += w.lostBackward();
                if (w.rtt() != null) {
                    p50s.add(w.rtt().p50() / 1000);
                    p90s.add(w.rtt().p90() / 1000);
                }
            }
        }
        grades.sort(null);
        return new Figures(down.size(), up.size(), quantile(down, 0.5), quantile(down, 0.1),
                quantile(up, 0.5), quantile(up, 0.1), windows, quantile(p50s, 0.5), quantile(p90s, 0.95),
                sent == 0 ? Double.NaN : (double) lostUp / sent, sent == 0 ? Double.NaN : (double) lostDown / sent,
                grades.isEmpty() ? null : grades.get((grades.size() - 1) / 2), null);
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

    private static <T> T read(ObjectReader reader, StoredSample row) {
        try {
            return reader.readValue(row.json());
        } catch (IOException e) {
            return null; // written by this collector from a validated sample; an unreadable row is skipped
        }
    }
}
