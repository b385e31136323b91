package io.linkprobe.collector.sites;

import java.util.List;
import java.util.Map;

/**
 * A site as {@code GET /api/v1/sites} shows it (snake_case JSON). Times are given both as RFC 3339
 * text for people and as epoch milliseconds for programs; durations in seconds, rates in bytes/s.
 *
 * @param health {@code ok}, {@code degraded} or {@code down}
 * @param healthReason why, in a few words; null when ok
 * @param seriesExpired true when the site's measurement series have left /metrics for silence
 */
public record SiteView(
        String site,
        String health,
        String healthReason,
        String lastSeen,
        long lastSeenEpochMillis,
        String agentId,
        String agentVersion,
        Map<String, String> labels,
        Double expectedDownBytesPerSecond,
        Double expectedUpBytesPerSecond,
        boolean seriesExpired,
        List<Latency> latency,
        List<Throughput> throughput,
        List<Video> video) {

    /** The latest latency window towards one target. */
    public record Latency(
            String target,
            String end,
            long endEpochMillis,
            long sent,
            long received,
            long lostUp,
            long lostDown,
            double lossRatio,
            Double rttMinSeconds,
            Double rttP50Seconds,
            Double rttP99Seconds,
            double jitterSeconds) {}

    /**
     * The latest video test towards one target that ran.
     *
     * @param verdict ready, marginal or not_ready, for one call
     * @param reason the thresholds one call failed, with figures; null when ready
     * @param calls concurrent calls the ladder found the link carries
     * @param callsLimit what ended the ladder (verdict, max_calls, contract, budget)
     */
    public record Video(
            String target,
            String end,
            long endEpochMillis,
            String verdict,
            String reason,
            int calls,
            String callsLimit,
            double mos,
            double lossUpRatio,
            double lossDownRatio,
            double jitterUpSeconds,
            double jitterDownSeconds,
            Double rttP95Seconds,
            int dscp) {}

    /** The latest throughput test in one direction. */
    public record Throughput(
            String target,
            String direction,
            String end,
            long endEpochMillis,
            String result,
            double bytesPerSecond,
            Double expectedBytesPerSecond,
            Double loadedRttSeconds,
            Double bufferbloatSeconds,
            String grade) {}
}
