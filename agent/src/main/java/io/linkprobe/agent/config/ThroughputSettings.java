package io.linkprobe.agent.config;

import io.linkprobe.common.config.Durations;
import io.linkprobe.common.config.InvalidValue;
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
        Long maxBytesPerTest,
        Long maxBytesPerDay,
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
        enabled = enabled == null ? Boolean.TRUE : enabled;
        every = every == null ? Duration.ofHours(4) : every;
        duration = duration == null ? Duration.ofSeconds(10) : duration;
        streams = streams == null ? 1 : streams;
        direction = direction == null ? "both" : direction;
        maxBytesPerTest = maxBytesPerTest == null ? 0L : maxBytesPerTest;
        maxBytesPerDay = maxBytesPerDay == null ? 0L : maxBytesPerDay;
        loadedProbeInterval = loadedProbeInterval == null ? Duration.ofMillis(50) : loadedProbeInterval;
        if (every.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new InvalidValue("every", "throughput.every must be at least 1m (tests load the line)");
        }
        if (duration.toMillis() < 1_000 || duration.toMillis() > 60_000) {
            throw new InvalidValue("duration", "throughput.duration must be between 1s and 60s");
        }
        if (streams < 1 || streams > 16) {
            throw new InvalidValue("streams", "throughput.streams must be between 1 and 16");
        }
        if (!direction.equals("down") && !direction.equals("up") && !direction.equals("both")) {
            throw new InvalidValue("direction", "throughput.direction must be down, up or both, was '" + direction + "'");
        }
        if (maxBytesPerTest < 0 || maxBytesPerDay < 0) {
            throw new InvalidValue("", "throughput byte limits cannot be negative");
        }
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
