package io.linkprobe.agent.config;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.linkprobe.common.config.ByteSizes;
import io.linkprobe.common.config.Durations;
import io.linkprobe.common.config.InvalidValue;
import io.linkprobe.common.config.SettingRules;
import io.linkprobe.common.net.CongestionControl;
import java.time.Duration;

/**
 * Scheduled throughput tests. They are expensive on a slow line, hence the long default period
 * with random slip, a per-test byte cap and a per-day byte budget.
 *
 * @param maxBytesPerTest 0 = derived from the contracted rate × duration × 1.5
 * @param maxBytesPerDay 0 = no daily budget
 * @param congestionControl TCP congestion control of the agent's sending sockets (uploads); null
 *     for the host's default. Downloads are sent by the responder, which has its own setting.
 * @param slipFraction each gap between tests is {@code every} × a random factor in 1 ± this
 * @param firstDelayMin the first test after start runs at a random moment between this (default
 *     a tenth of {@code every}) and {@code firstDelayMax} (default {@code every}), so that a fleet
 *     restarted together does not test together
 * @param busyRetryMin a test the responder turned away as busy is retried at a random moment
 *     between this and {@code busyRetryMax}, not a whole period later
 * @param timeout a test not finished after this is logged as stuck and the next one is scheduled
 */
public record ThroughputSettings(
        Boolean enabled,
        Duration every,
        Duration duration,
        Integer streams,
        String direction,
        @JsonDeserialize(using = ByteSizes.LongReader.class) Long maxBytesPerTest,
        @JsonDeserialize(using = ByteSizes.LongReader.class) Long maxBytesPerDay,
        Duration loadedProbeInterval,
        String congestionControl,
        Double slipFraction,
        Duration firstDelayMin,
        Duration firstDelayMax,
        Duration busyRetryMin,
        Duration busyRetryMax,
        Duration timeout) {
    public static final ThroughputSettings DEFAULTS = new ThroughputSettings(null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null);

    public ThroughputSettings {
        enabled = enabled == null ? SettingRules.DEFAULT_THROUGHPUT_ENABLED : enabled;
        every = every == null ? SettingRules.DEFAULT_THROUGHPUT_EVERY : every;
        duration = duration == null ? SettingRules.DEFAULT_THROUGHPUT_DURATION : duration;
        streams = streams == null ? SettingRules.DEFAULT_STREAMS : streams;
        direction = direction == null ? SettingRules.DEFAULT_DIRECTION : direction;
        maxBytesPerTest = maxBytesPerTest == null ? 0L : maxBytesPerTest;
        maxBytesPerDay = maxBytesPerDay == null ? 0L : maxBytesPerDay;
        loadedProbeInterval = loadedProbeInterval == null ? Duration.ofMillis(50) : loadedProbeInterval;
        SettingRules.throughputEvery(every);
        SettingRules.throughputDuration(duration);
        SettingRules.streams(streams);
        SettingRules.direction(direction);
        SettingRules.byteLimits(maxBytesPerTest, maxBytesPerDay);
        slipFraction = slipFraction == null ? 0.1 : slipFraction;
        firstDelayMin = firstDelayMin == null ? every.dividedBy(10) : firstDelayMin;
        firstDelayMax = firstDelayMax == null ? every : firstDelayMax;
        busyRetryMin = busyRetryMin == null ? Duration.ofSeconds(30) : busyRetryMin;
        busyRetryMax = busyRetryMax == null ? Duration.ofMinutes(5) : busyRetryMax;
        timeout = timeout == null ? Duration.ofMinutes(2) : timeout;
        if (!(slipFraction >= 0 && slipFraction <= 0.5)) {
            throw new InvalidValue("slip_fraction", "throughput.slip_fraction must be between 0 and 0.5 (0.1 = ±10 %)");
        }
        if (firstDelayMin.isNegative() || firstDelayMin.compareTo(firstDelayMax) > 0) {
            throw new InvalidValue("first_delay_min", "throughput.first_delay_min must be between 0s and "
                    + "throughput.first_delay_max (" + Durations.format(firstDelayMax) + ")");
        }
        if (busyRetryMin.compareTo(Duration.ofSeconds(1)) < 0 || busyRetryMin.compareTo(busyRetryMax) > 0) {
            throw new InvalidValue("busy_retry_min", "throughput.busy_retry_min must be between 1s and "
                    + "throughput.busy_retry_max (" + Durations.format(busyRetryMax) + ")");
        }
        if (timeout.compareTo(duration.multipliedBy(2)) < 0 || timeout.compareTo(Duration.ofHours(1)) > 0) {
            throw new InvalidValue("timeout", "throughput.timeout must be between twice throughput.duration ("
                    + Durations.format(duration.multipliedBy(2)) + ") and 1h");
        }
        if (congestionControl != null) {
            String problem = CongestionControl.problem(congestionControl);
            if (problem != null) {
                throw new InvalidValue("congestion_control", "throughput.congestion_control " + problem);
            }
        }
    }
}
