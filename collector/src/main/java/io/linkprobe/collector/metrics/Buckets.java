package io.linkprobe.collector.metrics;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Histogram bucket bounds. Micrometer's default percentile histogram (~70 buckets, 1 ms … 1 min)
 * is wrong for link RTT; these are explicit {@code serviceLevelObjectives}.
 */
final class Buckets {
    /**
     * RTT, 0.5 ms … 4 s, 18 bounds. Where links live: LAN and metro fibre 0.5–5 ms, national fibre
     * 5–30 ms (so 10, 15, 20, 30 ms split FTTP from FTTC), copper with interleaving 20–60 ms, 4G and
     * satellite 50–150 ms, bufferbloat 0.2–2 s. Neighbouring bounds are at most 2.5× apart, which
     * bounds {@code histogram_quantile}'s interpolation error; beyond 4 s a probe is lost anyway
     * (the agent's loss timeout is 3 s).
     */
    static final List<Duration> RTT = seconds(0.0005, 0.001, 0.002, 0.005, 0.01, 0.015, 0.02, 0.03, 0.05,
            0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 1, 2, 4);

    /** TCP connect: like RTT, plus 1 s and 3 s where SYN retransmissions land. */
    static final List<Duration> TCP_CONNECT = seconds(0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5,
            1, 1.5, 3.5, 7.5);

    /**
     * Measurement end → ingest: one window (60 s) plus push time is normal; minutes to a day is
     * a spool draining after an outage.
     */
    static final List<Duration> SAMPLE_DELAY = seconds(1, 5, 15, 30, 60, 90, 120, 300, 900, 3600, 14400, 86400);

    /** One group-commit transaction: an fsync is ~0.3 ms on SSD, 10 ms on a spinning disk. */
    static final List<Duration> ARCHIVE_WRITE = seconds(0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1,
            0.2, 0.5, 1, 2.5);

    private Buckets() {}

    private static List<Duration> seconds(double... bounds) {
        return Arrays.stream(bounds).mapToObj(s -> Duration.ofNanos(Math.round(s * 1e9))).toList();
    }
}
