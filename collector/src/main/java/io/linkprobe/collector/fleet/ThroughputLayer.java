package io.linkprobe.collector.fleet;

import io.linkprobe.common.config.InvalidValue;
import io.linkprobe.common.config.SettingRules;
import java.time.Duration;

/**
 * {@code throughput:} at one level of the fleet file: the scheduled test's keys of
 * {@code agent.yml} (the agent-local ones, such as congestion control and busy retries, stay in
 * each {@code agent.yml}). Every key optional, checked by the agent's rules when given, merged key
 * by key ({@link #over}).
 */
public record ThroughputLayer(
        Boolean enabled,
        Duration every,
        Duration duration,
        String direction,
        Integer streams,
        Long maxBytesPerTest,
        Long maxBytesPerDay) {

    public static final ThroughputLayer EMPTY = new ThroughputLayer(null, null, null, null, null, null, null);
    /** The scheduler plans over a cycle of at most a week. */
    public static final Duration MAX_EVERY = Duration.ofDays(7);

    public ThroughputLayer {
        if (every != null) {
            SettingRules.throughputEvery(every);
            if (every.compareTo(MAX_EVERY) > 0) {
                throw new InvalidValue("every", "throughput.every must be at most 7d in a fleet file "
                        + "(the collector plans slots over a week)");
            }
        }
        if (duration != null) {
            SettingRules.throughputDuration(duration);
        }
        if (direction != null) {
            SettingRules.direction(direction);
        }
        if (streams != null) {
            SettingRules.streams(streams);
        }
        SettingRules.byteLimits(maxBytesPerTest == null ? 0 : maxBytesPerTest, maxBytesPerDay == null ? 0 : maxBytesPerDay);
    }

    public ThroughputLayer over(ThroughputLayer lower) {
        return new ThroughputLayer(
                enabled != null ? enabled : lower.enabled,
                every != null ? every : lower.every,
                duration != null ? duration : lower.duration,
                direction != null ? direction : lower.direction,
                streams != null ? streams : lower.streams,
                maxBytesPerTest != null ? maxBytesPerTest : lower.maxBytesPerTest,
                maxBytesPerDay != null ? maxBytesPerDay : lower.maxBytesPerDay);
    }

    public ThroughputLayer complete() {
        return over(new ThroughputLayer(SettingRules.DEFAULT_THROUGHPUT_ENABLED, SettingRules.DEFAULT_THROUGHPUT_EVERY,
                SettingRules.DEFAULT_THROUGHPUT_DURATION, SettingRules.DEFAULT_DIRECTION, SettingRules.DEFAULT_STREAMS,
                0L, 0L));
    }

    /** Directions a test runs one after the other: 2 for {@code both}. */
    public int directions() {
        return "both".equals(direction) ? 2 : 1;
    }
}
