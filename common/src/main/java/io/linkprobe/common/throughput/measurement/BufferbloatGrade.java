package io.linkprobe.common.throughput.measurement;

import io.linkprobe.common.wire.ThroughputResult.LoadedLatency;

/**
 * A letter for how much latency grows when the link is loaded: bufferbloat = loaded RTT p50 − idle
 * RTT p50 (the RFC 6349 "buffer delay", in time rather than percent).
 *
 * <table>
 *   <caption>Thresholds (bufferbloat, milliseconds)</caption>
 *   <tr><th>grade</th><th>bufferbloat</th><th>what it feels like</th></tr>
 *   <tr><td>A</td><td>&lt; 30</td><td>not noticeable: calls and screen sharing unaffected by a big upload</td></tr>
 *   <tr><td>B</td><td>30 – 60</td><td>slight: fine for video consultations</td></tr>
 *   <tr><td>C</td><td>60 – 200</td><td>noticeable: talk-over in calls while someone uploads</td></tr>
 *   <tr><td>D</td><td>200 – 400</td><td>poor: beyond ITU-T G.114's 150 ms one-way comfort for speech</td></tr>
 *   <tr><td>E</td><td>400 – 1000</td><td>bad: calls break up, interactive work stalls</td></tr>
 *   <tr><td>F</td><td>≥ 1000</td><td>unusable while loaded: DNS and TCP time out</td></tr>
 * </table>
 *
 * A to D are Waveform's public bufferbloat test bands (A &lt; 30, B &lt; 60, C &lt; 200,
 * D &lt; 400 ms), so a site's grade matches what staff see when they run that test themselves.
 * Waveform's F (≥ 400 ms) is split at one second: on the copper lines this project watches, loaded
 * delays of one to several seconds are common, and telling 0.5 s from 3 s matters when choosing
 * which sites to fix first. A negative difference (noise on an unbloated link) counts as zero.
 */
public enum BufferbloatGrade {
    A(30), B(60), C(200), D(400), E(1_000), F(Double.POSITIVE_INFINITY);

    private final double belowMillis;

    BufferbloatGrade(double belowMillis) {
        this.belowMillis = belowMillis;
    }

    /** The upper bound (exclusive) of this grade, in milliseconds of bufferbloat. */
    public double belowMillis() {
        return belowMillis;
    }

    public static BufferbloatGrade of(double bufferbloatMicros) {
        double millis = Math.max(0, bufferbloatMicros) / 1000.0;
        for (BufferbloatGrade g : values()) {
            if (millis < g.belowMillis) {
                return g;
            }
        }
        return F;
    }

    /** Round trips per minute under load: 60 / loaded RTT in seconds; 0 if the RTT is unknown. */
    public static double rpm(double loadedRttMicros) {
        return loadedRttMicros > 0 ? 60e6 / loadedRttMicros : 0;
    }

    /** The result's latency-under-load part, with bufferbloat, RPM (from the loaded p50) and grade. */
    public static LoadedLatency loadedLatency(double idleRttP50Micros, double loadedRttP50Micros,
            double loadedRttP90Micros, long probesSent, long probesReceived) {
        double bloat = loadedRttP50Micros - idleRttP50Micros;
        return new LoadedLatency(idleRttP50Micros, loadedRttP50Micros, loadedRttP90Micros, bloat,
                rpm(loadedRttP50Micros), of(bloat).name(), probesSent, probesReceived);
    }
}
