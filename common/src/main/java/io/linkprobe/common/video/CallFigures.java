package io.linkprobe.common.video;

import io.linkprobe.common.wire.VideoResult;

/**
 * What one call measured, both directions, before it is judged.
 *
 * @param rttMinMicros null when nothing came back, as for the other RTT figures
 * @param mos the worse direction's MOS
 * @param bytesSent UDP payload sent by the site
 * @param bytesReceived UDP payload that came back
 */
public record CallFigures(VideoResult.Direction up, VideoResult.Direction down, Double rttMinMicros,
        Double rttP50Micros, Double rttP95Micros, double mos, long bytesSent, long bytesReceived) {

    /** Both directions' payload. */
    public long bytes() {
        return bytesSent + bytesReceived;
    }

    public double worstLossPercent() {
        return Math.max(up.lossPercent(), down.lossPercent());
    }

    public double worstJitterMicros() {
        return Math.max(up.jitterMicros(), down.jitterMicros());
    }
}
