package io.linkprobe.agent.config;

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
        String congestionControl) {
    public static final ThroughputSettings DEFAULTS = new ThroughputSettings(null, null, null, null, null, null, null, null,
            null);

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
        if (congestionControl != null) {
            String problem = CongestionControl.problem(congestionControl);
            if (problem != null) {
                throw new InvalidValue("congestion_control", "throughput.congestion_control " + problem);
            }
        }
    }
}
