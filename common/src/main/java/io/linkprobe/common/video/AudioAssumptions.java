package io.linkprobe.common.video;

import java.time.Duration;

/**
 * What the E-model is told about the call's audio, since a network test cannot see the terminals.
 *
 * <p>Defaults: G.711 with packet-loss concealment, Ie = 0 and Bpl = 25.1 (ITU-T G.113 Appendix I,
 * the codec with published Ie/Bpl values that is closest to the concealing codecs video platforms
 * use); 20 ms audio frames; an adaptive jitter buffer that plays each packet out 60 ms after the
 * quickest transit of the last second, so a packet more than 60 ms later than that is discarded and
 * counts as lost, while a queue that builds over seconds is followed (its delay is counted instead).
 * The mouth-to-ear delay is then the path's one-way delay (half the smallest RTT) + the queue the
 * buffer follows + the buffer + one frame.
 *
 * @param ie the codec's equipment impairment factor
 * @param bpl the codec's packet-loss robustness factor
 * @param frame audio per packet (packetisation delay)
 * @param jitterBuffer the playout delay beyond the quickest recent packet's
 */
public record AudioAssumptions(double ie, double bpl, Duration frame, Duration jitterBuffer) {
    public static final AudioAssumptions DEFAULTS =
            new AudioAssumptions(0, 25.1, Duration.ofMillis(20), Duration.ofMillis(60));

    public AudioAssumptions {
        if (!(ie >= 0 && ie <= 95)) {
            throw new IllegalArgumentException("Ie must be 0-95, got " + ie);
        }
        if (!(bpl > 0 && bpl <= 100)) {
            throw new IllegalArgumentException("Bpl must be above 0 and at most 100, got " + bpl);
        }
        if (frame.isNegative() || jitterBuffer.isNegative()) {
            throw new IllegalArgumentException("frame and jitter buffer cannot be negative");
        }
    }

    /**
     * Mouth-to-ear delay Ta in ms: the path's one-way base delay (half the smallest RTT), the queue
     * the buffer follows, the buffer and one frame.
     */
    public double mouthToEarMillis(double rttMinMillis, double queueMillis) {
        return rttMinMillis / 2 + queueMillis + jitterBuffer.toNanos() / 1e6 + frame.toNanos() / 1e6;
    }
}
