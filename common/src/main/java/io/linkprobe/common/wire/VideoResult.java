package io.linkprobe.common.wire;

import java.util.List;

/**
 * One video-readiness test towards one target: a call-shaped STAMP session (both directions at
 * once, constant bit rate, call-sized packets), judged against published thresholds, then a ladder
 * of 1, 2, 3, 4, 6, 8 concurrent calls that stops at the first step the link cannot carry.
 *
 * <p>The headline figures ({@code verdict}, {@code mos}, {@code up}, {@code down}, RTT) are those of
 * one call alone, the ladder's first step; {@code calls} is the ladder's result. Direction "up" is
 * site → responder (the reflector's side of each request), "down" responder → site. Times in
 * microseconds, rates in bytes per second of UDP payload.
 *
 * @param result one of {@link Outcome}'s wire names; the figures below are present only when {@code ok}
 * @param message why the test did not run, when it did not
 * @param verdict {@code ready}, {@code marginal} or {@code not_ready} for one call (null unless ok)
 * @param failed the thresholds one call failed or missed, by name ({@code loss_up}, {@code rtt}, …)
 * @param reason those thresholds with the figures that failed them, one line; null when ready
 * @param calls concurrent calls the site carries: the largest ladder step that was not not_ready
 * @param callsLimit what ended the ladder: {@code verdict} (a step failed), {@code max_calls},
 *     {@code contract} (the next step exceeds the site's contracted rate) or {@code budget}
 * @param rateKbps one call's rate in each direction (UDP payload)
 * @param packetSize UDP payload bytes per packet
 * @param dscp the DiffServ code point of the site's packets (0 = best effort)
 * @param replyDscp the code point the replies arrived with, null where the socket cannot read it
 * @param timestamps {@code kernel} when the transits came from kernel timestamps, else
 *     {@code user (why)}: what the jitter and delay variation are measured with
 * @param seconds how long one call (the first step) sent for
 * @param mos ITU-T G.107 MOS of the call's audio, the worse direction's
 * @param bytes UDP payload bytes the whole test moved, both directions, every step
 * @param ladder every step run, the first being the single call
 */
public record VideoResult(
        String target,
        long startEpochMillis,
        long endEpochMillis,
        String result,
        String message,
        String verdict,
        List<String> failed,
        String reason,
        int calls,
        String callsLimit,
        int rateKbps,
        int packetSize,
        int dscp,
        Integer replyDscp,
        String timestamps,
        double seconds,
        Double mos,
        Double rttP50Micros,
        Double rttP95Micros,
        Direction up,
        Direction down,
        long bytes,
        List<Step> ladder) implements Sample {

    public VideoResult {
        failed = failed == null ? List.of() : List.copyOf(failed);
        ladder = ladder == null ? List.of() : List.copyOf(ladder);
    }

    /**
     * One direction of one call.
     *
     * @param packets packets sent in this direction (down: those the reflector sent back)
     * @param lost packets lost on the way
     * @param lossPercent lost over packets
     * @param longestBurst the longest run of consecutive losses
     * @param late packets that arrived but later than the assumed jitter buffer allows
     * @param burstRatio G.107 BurstR of what the audio would miss (lost and late): 1 = random
     * @param jitterMicros RFC 3550 interarrival jitter of the one-way transit, averaged over the call
     * @param delayVariationMicros one-way delay variation: transit p99 − min (RFC 5481 PDV)
     * @param reordered packets that arrived after one sent later
     * @param deliveredBytesPerSecond payload that arrived, per second of sending
     * @param mos G.107 MOS of this direction's audio
     */
    public record Direction(
            long packets,
            long lost,
            double lossPercent,
            long longestBurst,
            long late,
            double burstRatio,
            double jitterMicros,
            double delayVariationMicros,
            long reordered,
            double deliveredBytesPerSecond,
            double mos) {}

    /**
     * One step of the ladder: {@code calls} calls at once, judged by its worst call.
     *
     * @param lossPercent the worst loss of any call in either direction
     * @param jitterMicros the worst jitter of any call in either direction
     * @param rttP95Micros the highest RTT p95 of any call; null when nothing came back
     * @param mos the lowest MOS of any call
     */
    public record Step(
            int calls,
            String verdict,
            List<String> failed,
            double seconds,
            double mos,
            double lossPercent,
            double jitterMicros,
            Double rttP95Micros,
            long bytes) {
        public Step {
            failed = failed == null ? List.of() : List.copyOf(failed);
        }
    }

    /** How a test ended. */
    public enum Outcome {
        OK("ok"), UNREACHABLE("unreachable"), ERROR("error");

        private final String wireName;

        Outcome(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    /** The verdicts, and the value {@code linkprobe_video_verdict} shows for each. */
    public enum Verdict {
        NOT_READY("not_ready", 0), MARGINAL("marginal", 1), READY("ready", 2);

        private final String wireName;
        private final int gaugeValue;

        Verdict(String wireName, int gaugeValue) {
            this.wireName = wireName;
            this.gaugeValue = gaugeValue;
        }

        public String wireName() {
            return wireName;
        }

        public int gaugeValue() {
            return gaugeValue;
        }

        /** The verdict with this wire name, or null. */
        public static Verdict ofWireName(String name) {
            for (Verdict v : values()) {
                if (v.wireName.equals(name)) {
                    return v;
                }
            }
            return null;
        }
    }

    /** What ended the ladder. */
    public enum CallsLimit {
        VERDICT("verdict"), MAX_CALLS("max_calls"), CONTRACT("contract"), BUDGET("budget");

        private final String wireName;

        CallsLimit(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    @Override
    public Kind kind() {
        return Kind.VIDEO;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.video(this);
    }
}
