package io.linkprobe.collector.archive;

import com.datadoghq.sketch.ddsketch.DDSketch;
import java.util.List;

/**
 * One hour of one site towards one target, as the hourly tier keeps it for
 * {@code archive.rollup_retention}: what the before/after comparison of an upgrade, a year's plot
 * or a programme report needs, merged from every result of that hour. Sketches merge exactly
 * (bin by bin), so the RTT percentiles of a month are those of one sketch built from all its RTTs,
 * within the sketch's 1 % relative accuracy ({@link RollupSketches}).
 *
 * @param hourMillis the start of the UTC hour
 * @param latency the hour's STAMP windows; null if none ended in it
 * @param connect the hour's TCP connect probes; null if none
 * @param tests every throughput test direction that ended in the hour, oldest first
 * @param video every video-readiness test that ended in the hour, oldest first
 */
public record HourlyRollup(String site, String target, long hourMillis, Latency latency, Connect connect,
        List<Test> tests, List<Video> video) {

    public HourlyRollup {
        tests = tests == null ? List.of() : List.copyOf(tests);
        video = video == null ? List.of() : List.copyOf(video);
    }

    /**
     * The hour's latency windows summed: packets and loss per direction exactly, RTT extremes and
     * means, and every raw RTT in {@code rttMicros} (null when the windows carried none).
     *
     * @param rttMeanMicros mean RTT over every received packet
     * @param jitterMeanMicros the windows' RFC 3550 jitter, averaged over windows
     */
    public record Latency(long windows, long sent, long received, long lostForward, long lostBackward,
            long duplicates, long reordered, Double rttMinMicros, Double rttMaxMicros, Double rttMeanMicros,
            Double jitterMeanMicros, Double jitterMaxMicros, DDSketch rttMicros) {}

    /** Connect probes of the hour: attempts, failures, and the successful connect times. */
    public record Connect(long attempts, long failures, DDSketch connectMicros) {}

    /**
     * One direction of one throughput test, with its latency under load.
     *
     * @param result the test's outcome ({@code ok}, {@code busy}, ...)
     * @param loadedRttP50Micros null when not measured
     * @param bufferbloatMicros loaded minus idle RTT; null when not measured
     * @param grade the bufferbloat grade (A–F); null when not measured
     */
    public record Test(long endEpochMillis, String direction, String result, double steadyBytesPerSecond,
            Double loadedRttP50Micros, Double bufferbloatMicros, String grade) {}

    /**
     * One video-readiness test: one call's verdict and the ladder's result, with the figures the
     * verdict rests on (loss in %, jitter per direction).
     *
     * @param result the test's outcome ({@code ok}, {@code unreachable}, ...)
     * @param verdict {@code ready}, {@code marginal} or {@code not_ready}; null when the test did not run
     * @param calls the concurrent calls the link carried
     * @param mos the call's E-model MOS; null when not measured
     */
    public record Video(long endEpochMillis, String result, String verdict, int calls, Double mos,
            Double lossUpPercent, Double lossDownPercent, Double jitterUpMicros, Double jitterDownMicros,
            Double rttP95Micros, long bytes) {}
}
