package io.linkprobe.collector.fleet;

import io.linkprobe.common.config.SettingRules;
import io.linkprobe.common.stamp.ProbeSchedule;
import java.time.Duration;

/**
 * {@code latency:} at one level of the fleet file (defaults, a group, a site). Every key is
 * optional; a key given is checked by the same rule as in {@code agent.yml}, and a key left out is
 * taken from the level below ({@link #over}).
 */
public record LatencyLayer(Duration interval, ProbeSchedule schedule, Integer packetSize, Duration timeout) {
    public static final LatencyLayer EMPTY = new LatencyLayer(null, null, null, null);

    public LatencyLayer {
        if (interval != null) {
            SettingRules.latencyInterval(interval);
        }
        if (packetSize != null) {
            SettingRules.packetSize(packetSize);
        }
        if (timeout != null) {
            SettingRules.latencyTimeout(timeout);
        }
    }

    /** This layer's keys where given, else {@code lower}'s. */
    public LatencyLayer over(LatencyLayer lower) {
        return new LatencyLayer(
                interval != null ? interval : lower.interval,
                schedule != null ? schedule : lower.schedule,
                packetSize != null ? packetSize : lower.packetSize,
                timeout != null ? timeout : lower.timeout);
    }

    /** Every key set: this layer over the defaults of {@code agent.yml}. */
    public LatencyLayer complete() {
        return over(new LatencyLayer(SettingRules.DEFAULT_LATENCY_INTERVAL, ProbeSchedule.POISSON,
                SettingRules.DEFAULT_PACKET_SIZE, SettingRules.DEFAULT_LATENCY_TIMEOUT));
    }
}
