package io.linkprobe.collector.upgrades;

/**
 * What one side (before or after a cut-over) of a site measured. Rates in Mbit/s, RTT in ms, loss
 * as a fraction of probes sent; a figure that was not measured is {@code NaN} ({@code grade}
 * and {@code video} null).
 *
 * @param downTests throughput tests ({@code ok}) in the down direction behind the down figures
 * @param windows latency windows behind the RTT and loss figures
 * @param grade the median bufferbloat grade of the throughput tests (A best … F worst)
 * @param video video-consultation readiness where measured (the median verdict of the side's video
 *     tests: {@code ready}, {@code marginal} or {@code not_ready}), else null
 */
public record Figures(
        int downTests,
        int upTests,
        double downMedianMbps,
        double downP10Mbps,
        double upMedianMbps,
        double upP10Mbps,
        long windows,
        double rttP50Ms,
        double rttP95Ms,
        double lossUp,
        double lossDown,
        String grade,
        String video) {

    public static final Figures NONE = new Figures(0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0,
            Double.NaN, Double.NaN, Double.NaN, Double.NaN, null, null);

    /** Throughput tests of both directions. */
    public int tests() {
        return downTests + upTests;
    }
}
