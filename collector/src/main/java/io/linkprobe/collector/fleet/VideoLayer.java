package io.linkprobe.collector.fleet;

import io.linkprobe.common.config.InvalidValue;
import io.linkprobe.common.config.VideoRules;
import java.time.Duration;

/**
 * {@code video:} at one level of the fleet file: the scheduled video-readiness test's keys of
 * {@code agent.yml} that decide what it costs the line and the responder (the thresholds and audio
 * assumptions stay in each {@code agent.yml}). Every key optional, checked by the agent's rules
 * ({@link VideoRules}) when given, merged key by key ({@link #over}); the rules between two keys
 * (rate against packet size, step against call duration) are checked once a site's levels are
 * merged ({@link #complete}).
 *
 * @param maxBytesPerDay the video tests' own daily budget (0 = none); their bytes count in
 *     {@code throughput.max_bytes_per_day}, the site's budget for all scheduled tests, as well
 */
public record VideoLayer(
        Boolean enabled,
        Duration every,
        Integer rateKbps,
        Integer packetSize,
        Duration duration,
        Duration stepDuration,
        Integer maxCalls,
        String dscp,
        Long maxBytesPerDay) {

    public static final VideoLayer EMPTY = new VideoLayer(null, null, null, null, null, null, null, null, null);

    public VideoLayer {
        if (every != null) {
            VideoRules.every(every);
            if (every.compareTo(ThroughputLayer.MAX_EVERY) > 0) {
                throw new InvalidValue("every", "video.every must be at most 7d in a fleet file "
                        + "(the collector plans slots over a week)");
            }
        }
        if (packetSize != null) {
            VideoRules.packetSize(packetSize);
        }
        if (rateKbps != null) {
            VideoRules.rate(rateKbps, packetSize != null ? packetSize : 1472);
        }
        if (duration != null) {
            VideoRules.duration(duration);
        }
        if (stepDuration != null) {
            VideoRules.stepDuration(stepDuration, duration != null ? duration : Duration.ofMinutes(2));
        }
        if (maxCalls != null) {
            VideoRules.maxCalls(maxCalls);
        }
        if (dscp != null) {
            VideoRules.dscp(dscp);
        }
        if (maxBytesPerDay != null && maxBytesPerDay < 0) {
            throw new InvalidValue("max_bytes_per_day", "video.max_bytes_per_day cannot be negative");
        }
    }

    public VideoLayer over(VideoLayer lower) {
        return new VideoLayer(
                enabled != null ? enabled : lower.enabled,
                every != null ? every : lower.every,
                rateKbps != null ? rateKbps : lower.rateKbps,
                packetSize != null ? packetSize : lower.packetSize,
                duration != null ? duration : lower.duration,
                stepDuration != null ? stepDuration : lower.stepDuration,
                maxCalls != null ? maxCalls : lower.maxCalls,
                dscp != null ? dscp : lower.dscp,
                maxBytesPerDay != null ? maxBytesPerDay : lower.maxBytesPerDay);
    }

    /** Every key set (this layer over agent.yml's defaults), and the rules between keys checked. */
    public VideoLayer complete() {
        VideoLayer c = over(new VideoLayer(VideoRules.DEFAULT_ENABLED, VideoRules.DEFAULT_EVERY,
                VideoRules.DEFAULT_RATE_KBPS, VideoRules.DEFAULT_PACKET_SIZE, VideoRules.DEFAULT_DURATION,
                VideoRules.DEFAULT_STEP_DURATION, VideoRules.DEFAULT_MAX_CALLS, VideoRules.DEFAULT_DSCP, 0L));
        VideoRules.rate(c.rateKbps, c.packetSize);
        VideoRules.stepDuration(c.stepDuration, c.duration);
        return c;
    }

    /** How long one test (the whole ladder) holds a lane of the responder. */
    public Duration ladderLength() {
        return VideoRules.ladderLength(duration, stepDuration, maxCalls);
    }

    /** The most the test sends each way at once: {@code max_calls} × {@code rate_kbps}, in Mbit/s. */
    public double peakMbps() {
        return maxCalls * rateKbps / 1000.0;
    }
}
