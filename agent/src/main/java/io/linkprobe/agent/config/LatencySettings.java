package io.linkprobe.agent.config;

import io.linkprobe.common.config.SettingRules;
import io.linkprobe.common.stamp.ProbeSchedule;
import io.linkprobe.common.stamp.SenderOptions;
import java.time.Duration;

/**
 * STAMP probing. At the default 200 ms mean interval and 44-byte packets the probe costs
 * 5 pkt/s × (44 + 28) B × 8 ≈ 2.9 kbit/s each way, well under the 10 kbit/s budget.
 */
public record LatencySettings(Duration interval, Schedule schedule, Integer packetSize, Duration timeout) {
    public static final LatencySettings DEFAULTS = new LatencySettings(null, null, null, null);

    /** Poisson (exponential gaps, RFC 2330) avoids synchronising with periodic events on the path. */
    public enum Schedule { POISSON, PERIODIC }

    public LatencySettings {
        interval = interval == null ? SettingRules.DEFAULT_LATENCY_INTERVAL : interval;
        schedule = schedule == null ? Schedule.POISSON : schedule;
        packetSize = packetSize == null ? SettingRules.DEFAULT_PACKET_SIZE : packetSize;
        timeout = timeout == null ? SettingRules.DEFAULT_LATENCY_TIMEOUT : timeout;
        SettingRules.latencyInterval(interval);
        SettingRules.packetSize(packetSize);
        SettingRules.latencyTimeout(timeout);
    }

    /**
     * The STAMP sender these settings describe: the agent's continuous session, and, at the loaded
     * rate, the probes of a throughput test. The one place latency settings become sender options.
     */
    public SenderOptions senderOptions() {
        return senderOptions(interval, schedule, packetSize, timeout);
    }

    /** The same for callers with their own bounds on the values (the {@code test} command's flags). */
    public static SenderOptions senderOptions(Duration interval, Schedule schedule, int packetSize, Duration timeout) {
        return SenderOptions.defaults()
                .withMeanInterval(interval)
                .withSchedule(schedule == Schedule.PERIODIC ? ProbeSchedule.PERIODIC : ProbeSchedule.POISSON)
                .withPacketSize(packetSize)
                .withTimeout(timeout);
    }
}
