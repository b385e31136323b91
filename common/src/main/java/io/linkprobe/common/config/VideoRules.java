package io.linkprobe.common.config;

import io.linkprobe.common.net.Dscp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The defaults and rules of the scheduled video-readiness test's settings that both
 * {@code agent.yml}'s {@code video:} and the fleet file's {@code video:} carry, in one home like
 * {@link SettingRules}: a fleet file the collector accepts gives plans every agent accepts. Keys are
 * relative to {@code video:}.
 */
public final class VideoRules {
    public static final boolean DEFAULT_ENABLED = true;
    public static final Duration DEFAULT_EVERY = Duration.ofHours(4);
    public static final int DEFAULT_RATE_KBPS = 1200;
    public static final int DEFAULT_PACKET_SIZE = 1200;
    public static final Duration DEFAULT_DURATION = Duration.ofSeconds(20);
    public static final Duration DEFAULT_STEP_DURATION = Duration.ofSeconds(5);
    public static final int DEFAULT_MAX_CALLS = 8;
    public static final String DEFAULT_DSCP = "BE";
    /** The ladder's steps below {@code max_calls}. */
    public static final List<Integer> LADDER = List.of(1, 2, 3, 4, 6, 8);
    public static final int MAX_CALLS_LIMIT = 32;
    /** Late replies beyond this are lost; also how long the end of each step may wait for them. */
    public static final Duration PACKET_TIMEOUT = Duration.ofSeconds(2);
    /** The pause before each further ladder step. */
    public static final Duration STEP_PAUSE = Duration.ofSeconds(1);

    private VideoRules() {}

    public static void every(Duration every) {
        if (every.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new InvalidValue("every", "video.every must be at least 1m (the test loads the line)");
        }
    }

    public static void packetSize(int packetSize) {
        if (packetSize < 64 || packetSize > 1472) {
            throw new InvalidValue("packet_size", "video.packet_size must be between 64 and 1472 bytes (1472 fills a 1500-byte MTU)");
        }
    }

    /** The rate, and that it needs at most one packet per ms of {@code packetSize} bytes. */
    public static void rate(int rateKbps, int packetSize) {
        if (rateKbps < 8 || rateKbps > 100_000) {
            throw new InvalidValue("rate_kbps", "video.rate_kbps must be between 8 and 100000");
        }
        long intervalNanos = intervalNanos(rateKbps, packetSize);
        if (intervalNanos < 1_000_000) {
            throw new InvalidValue("rate_kbps", "video.rate_kbps " + rateKbps + " in " + packetSize + "-byte packets needs "
                    + "a packet every " + intervalNanos / 1000 + " µs; at most one per ms is sent: raise video.packet_size "
                    + "or lower video.rate_kbps");
        }
    }

    public static void duration(Duration duration) {
        if (duration.compareTo(Duration.ofSeconds(5)) < 0 || duration.compareTo(Duration.ofMinutes(2)) > 0) {
            throw new InvalidValue("duration", "video.duration must be between 5s and 2m");
        }
    }

    public static void stepDuration(Duration stepDuration, Duration duration) {
        if (stepDuration.compareTo(Duration.ofSeconds(2)) < 0 || stepDuration.compareTo(duration) > 0) {
            throw new InvalidValue("step_duration", "video.step_duration must be between 2s and video.duration ("
                    + Durations.format(duration) + ")");
        }
    }

    public static void maxCalls(int maxCalls) {
        if (maxCalls < 1 || maxCalls > MAX_CALLS_LIMIT) {
            throw new InvalidValue("max_calls", "video.max_calls must be between 1 and " + MAX_CALLS_LIMIT);
        }
    }

    public static void dscp(String dscp) {
        try {
            Dscp.parse(dscp);
        } catch (IllegalArgumentException e) {
            throw new InvalidValue("dscp", "video.dscp " + e.getMessage());
        }
    }

    /** The gap between packets that gives {@code rateKbps} of {@code packetSize}-byte payloads. */
    public static long intervalNanos(int rateKbps, int packetSize) {
        return Math.round(packetSize * 8.0 * 1e6 / rateKbps);
    }

    /** The ladder up to {@code maxCalls}: 1, 2, 3, 4, 6, 8 below it, then {@code maxCalls} itself. */
    public static List<Integer> ladder(int maxCalls) {
        List<Integer> steps = new ArrayList<>();
        for (int n : LADDER) {
            if (n < maxCalls) {
                steps.add(n);
            }
        }
        steps.add(maxCalls);
        return List.copyOf(steps);
    }

    /**
     * How long a whole ladder holds the far end: the call, each further step with its pause, and
     * the wait for late replies after each step.
     */
    public static Duration ladderLength(Duration duration, Duration stepDuration, int maxCalls) {
        int steps = ladder(maxCalls).size();
        return duration.plus(stepDuration.multipliedBy(steps - 1)).plus(STEP_PAUSE.multipliedBy(steps - 1))
                .plus(PACKET_TIMEOUT.multipliedBy(steps));
    }

    /** The ladder's length plus a margin: a test not done by then is stuck. */
    public static Duration longestTest(Duration duration, Duration stepDuration, int maxCalls) {
        int steps = ladder(maxCalls).size();
        return duration.plus(stepDuration.multipliedBy(steps - 1))
                .plus(PACKET_TIMEOUT.plus(STEP_PAUSE).multipliedBy(steps)).plusSeconds(10);
    }
}
