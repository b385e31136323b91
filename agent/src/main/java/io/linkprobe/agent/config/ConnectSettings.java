package io.linkprobe.agent.config;

import io.linkprobe.common.config.Durations;
import io.linkprobe.common.config.InvalidValue;
import java.time.Duration;

/**
 * TCP connect probes to targets with a {@code connect_port}: cheap, so frequent.
 *
 * @param every the period; each target gets its own random offset within it
 * @param timeout a connect not completed after this is a failed probe
 */
public record ConnectSettings(Duration every, Duration timeout) {
    public static final ConnectSettings DEFAULTS = new ConnectSettings(null, null);

    public ConnectSettings {
        every = every == null ? Duration.ofSeconds(10) : every;
        timeout = timeout == null ? Duration.ofSeconds(5) : timeout;
        if (every.compareTo(Duration.ofSeconds(1)) < 0 || every.compareTo(Duration.ofHours(1)) > 0) {
            throw new InvalidValue("every", "connect.every must be between 1s and 1h");
        }
        if (timeout.compareTo(Duration.ofMillis(100)) < 0 || timeout.compareTo(every) > 0) {
            throw new InvalidValue("timeout", "connect.timeout must be between 100ms and connect.every ("
                    + Durations.format(every) + ")");
        }
    }
}
