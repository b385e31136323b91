package io.linkprobe.agent.config;

import io.linkprobe.common.config.Durations;
import io.linkprobe.common.config.InvalidValue;
import io.linkprobe.common.config.VideoRules;
import io.linkprobe.common.net.Dscp;
import io.linkprobe.common.video.AudioAssumptions;
import io.linkprobe.common.video.Thresholds;
import java.time.Duration;
import java.util.List;

/**
 * Scheduled video-readiness tests: a call-shaped STAMP session (both directions at once, constant
 * bit rate, call-sized packets) towards every target that is a linkprobe responder (it has a
 * {@code throughput_port}), then the ladder of concurrent calls. Defaults: 1,200 kbit/s each way
 * in 1,200-byte packets (one every 8 ms) for 20 s, further ladder steps 5 s each, at most 8 calls,
 * every 4 h with ±10 % slip.
 *
 * @param rateKbps one call's rate each way, UDP payload
 * @param packetSize UDP payload per packet
 * @param duration how long the single call (the ladder's first step) sends
 * @param stepDuration how long each further ladder step sends
 * @param maxCalls the ladder's top; steps are 1, 2, 3, 4, 6, 8 up to it, and it
 * @param dscp DiffServ code point of the site's test packets: a name (BE, EF, AF41, …) or 0-63
 * @param maxBytesPerTest 0 = no cap beyond the contracted rate; else the ladder stops before a step
 *     that would take the test past it
 * @param maxBytesPerDay 0 = no daily budget
 * @param timeout a test not finished after this is logged as stuck and the next is scheduled
 */
public record VideoSettings(
        Boolean enabled,
        Duration every,
        Integer rateKbps,
        Integer packetSize,
        Duration duration,
        Duration stepDuration,
        Integer maxCalls,
        String dscp,
        Long maxBytesPerTest,
        Long maxBytesPerDay,
        Double slipFraction,
        Duration firstDelayMin,
        Duration firstDelayMax,
        Duration timeout,
        ThresholdSettings thresholds,
        AudioSettings audio) {
    /** The ladder's steps below {@code max_calls}. */
    public static final List<Integer> LADDER = VideoRules.LADDER;
    public static final int MAX_CALLS_LIMIT = VideoRules.MAX_CALLS_LIMIT;
    /** Late replies beyond this are lost; also how long the end of each step may wait for them. */
    public static final Duration PACKET_TIMEOUT = VideoRules.PACKET_TIMEOUT;
    /** Declared after the constants its constructor uses. */
    public static final VideoSettings DEFAULTS = new VideoSettings(null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null);

    public VideoSettings {
        enabled = enabled == null ? VideoRules.DEFAULT_ENABLED : enabled;
        every = every == null ? VideoRules.DEFAULT_EVERY : every;
        rateKbps = rateKbps == null ? VideoRules.DEFAULT_RATE_KBPS : rateKbps;
        packetSize = packetSize == null ? VideoRules.DEFAULT_PACKET_SIZE : packetSize;
        duration = duration == null ? VideoRules.DEFAULT_DURATION : duration;
        stepDuration = stepDuration == null ? VideoRules.DEFAULT_STEP_DURATION : stepDuration;
        maxCalls = maxCalls == null ? VideoRules.DEFAULT_MAX_CALLS : maxCalls;
        dscp = dscp == null ? VideoRules.DEFAULT_DSCP : dscp;
        maxBytesPerTest = maxBytesPerTest == null ? 0L : maxBytesPerTest;
        maxBytesPerDay = maxBytesPerDay == null ? 0L : maxBytesPerDay;
        slipFraction = slipFraction == null ? 0.1 : slipFraction;
        firstDelayMin = firstDelayMin == null ? every.dividedBy(10) : firstDelayMin;
        firstDelayMax = firstDelayMax == null ? every : firstDelayMax;
        timeout = timeout == null ? Duration.ofMinutes(5) : timeout;
        thresholds = thresholds == null ? ThresholdSettings.DEFAULTS : thresholds;
        audio = audio == null ? AudioSettings.DEFAULTS : audio;
        VideoRules.every(every);
        VideoRules.packetSize(packetSize);
        VideoRules.rate(rateKbps, packetSize);
        VideoRules.duration(duration);
        VideoRules.stepDuration(stepDuration, duration);
        VideoRules.maxCalls(maxCalls);
        VideoRules.dscp(dscp);
        if (maxBytesPerTest < 0 || maxBytesPerDay < 0) {
            throw new InvalidValue("", "video byte limits cannot be negative");
        }
        if (!(slipFraction >= 0 && slipFraction <= 0.5)) {
            throw new InvalidValue("slip_fraction", "video.slip_fraction must be between 0 and 0.5 (0.1 = ±10 %)");
        }
        if (firstDelayMin.isNegative() || firstDelayMin.compareTo(firstDelayMax) > 0) {
            throw new InvalidValue("first_delay_min", "video.first_delay_min must be between 0s and video.first_delay_max ("
                    + Durations.format(firstDelayMax) + ")");
        }
        Duration longest = longestTest(duration, stepDuration, maxCalls);
        if (timeout.compareTo(longest) < 0 || timeout.compareTo(Duration.ofHours(1)) > 0) {
            throw new InvalidValue("timeout", "video.timeout must be between the longest ladder ("
                    + Durations.format(longest) + ") and 1h");
        }
        double callKbps = rateKbps;
        if (callKbps < thresholds.minDownKbps() || callKbps < thresholds.minUpKbps()) {
            throw new InvalidValue("rate_kbps", "video.rate_kbps " + rateKbps + " is below the rate a call must deliver "
                    + "(video.thresholds.min_down_kbps " + thresholds.minDownKbps() + ", min_up_kbps "
                    + thresholds.minUpKbps() + "): no call could ever be ready; raise rate_kbps or lower the thresholds");
        }
    }

    /** The gap between packets that gives {@code rateKbps} of {@code packetSize}-byte payloads. */
    public static long intervalNanos(int rateKbps, int packetSize) {
        return VideoRules.intervalNanos(rateKbps, packetSize);
    }

    public long intervalNanos() {
        return intervalNanos(rateKbps, packetSize);
    }

    public int dscpValue() {
        return Dscp.parse(dscp);
    }

    /** The ladder up to {@code maxCalls}: 1, 2, 3, 4, 6, 8 below it, then {@code maxCalls} itself. */
    public static List<Integer> ladder(int maxCalls) {
        return VideoRules.ladder(maxCalls);
    }

    /** The whole ladder's sending time plus a packet timeout and a pause per step: the test's longest run. */
    public static Duration longestTest(Duration duration, Duration stepDuration, int maxCalls) {
        return VideoRules.longestTest(duration, stepDuration, maxCalls);
    }

    public Thresholds thresholdValues() {
        return thresholds.values();
    }

    public AudioAssumptions audioAssumptions() {
        return audio.values();
    }

    /** {@code video.thresholds}: see the README for where each default comes from. */
    public record ThresholdSettings(Double maxLossPercent, Double maxJitterMs, Double maxOneWayMs, Double targetRttMs,
            Double minDownKbps, Double minUpKbps, Double minMos, Double targetMos) {
        public static final ThresholdSettings DEFAULTS = new ThresholdSettings(null, null, null, null, null, null, null,
                null);

        public ThresholdSettings {
            Thresholds d = Thresholds.DEFAULTS;
            maxLossPercent = maxLossPercent == null ? d.maxLossPercent() : maxLossPercent;
            maxJitterMs = maxJitterMs == null ? d.maxJitterMillis() : maxJitterMs;
            maxOneWayMs = maxOneWayMs == null ? d.maxOneWayMillis() : maxOneWayMs;
            targetRttMs = targetRttMs == null ? d.targetRttMillis() : targetRttMs;
            minDownKbps = minDownKbps == null ? d.minDownKbps() : minDownKbps;
            minUpKbps = minUpKbps == null ? d.minUpKbps() : minUpKbps;
            minMos = minMos == null ? d.minMos() : minMos;
            targetMos = targetMos == null ? d.targetMos() : targetMos;
            between("max_loss_percent", maxLossPercent, 0, 100);
            between("max_jitter_ms", maxJitterMs, 0, 10_000);
            between("max_one_way_ms", maxOneWayMs, 0, 10_000);
            between("target_rtt_ms", targetRttMs, 0, 10_000);
            between("min_down_kbps", minDownKbps, 0, 100_000);
            between("min_up_kbps", minUpKbps, 0, 100_000);
            between("min_mos", minMos, 1, 4.5);
            between("target_mos", targetMos, 1, 4.5);
            if (targetMos < minMos) {
                throw new InvalidValue("target_mos", "video.thresholds.target_mos must be at least min_mos (" + minMos + ")");
            }
        }

        Thresholds values() {
            return new Thresholds(maxLossPercent, maxJitterMs, maxOneWayMs, targetRttMs, minDownKbps, minUpKbps, minMos,
                    targetMos);
        }

        private static void between(String key, double v, double lo, double hi) {
            if (!(v >= lo && v <= hi)) {
                throw new InvalidValue(key, "video.thresholds." + key + " must be between " + lo + " and " + hi + ", was " + v);
            }
        }
    }

    /** {@code video.audio}: what the E-model assumes about the call's audio (see {@link AudioAssumptions}). */
    public record AudioSettings(Double ie, Double bpl, Duration frame, Duration jitterBuffer) {
        public static final AudioSettings DEFAULTS = new AudioSettings(null, null, null, null);

        public AudioSettings {
            AudioAssumptions d = AudioAssumptions.DEFAULTS;
            ie = ie == null ? d.ie() : ie;
            bpl = bpl == null ? d.bpl() : bpl;
            frame = frame == null ? d.frame() : frame;
            jitterBuffer = jitterBuffer == null ? d.jitterBuffer() : jitterBuffer;
            if (!(ie >= 0 && ie <= 95)) {
                throw new InvalidValue("ie", "video.audio.ie must be between 0 and 95");
            }
            if (!(bpl > 0 && bpl <= 100)) {
                throw new InvalidValue("bpl", "video.audio.bpl must be above 0 and at most 100");
            }
            if (frame.compareTo(Duration.ofMillis(5)) < 0 || frame.compareTo(Duration.ofMillis(120)) > 0) {
                throw new InvalidValue("frame", "video.audio.frame must be between 5ms and 120ms");
            }
            if (jitterBuffer.isNegative() || jitterBuffer.compareTo(Duration.ofSeconds(1)) > 0) {
                throw new InvalidValue("jitter_buffer", "video.audio.jitter_buffer must be between 0s and 1s");
            }
        }

        AudioAssumptions values() {
            return new AudioAssumptions(ie, bpl, frame, jitterBuffer);
        }
    }
}
