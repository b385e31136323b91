package io.linkprobe.common.config;

import java.time.Duration;
import java.util.HashSet;
import io.linkprobe.common.wire.Names;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The defaults and rules of the measurement settings that both an agent's {@code agent.yml} and
 * the collector's fleet file carry (targets, latency, window, throughput, expected rates). One home,
 * so that a setting the collector's fleet file accepts is one every agent accepts in its plan, and
 * the messages read the same in both files.
 *
 * <p>Ports are {@link io.linkprobe.common.net.DefaultPorts}'. Each check throws {@link InvalidValue} with the key relative to the record that holds the
 * value (e.g. {@code "every"} inside {@code throughput:}), so {@link ConfigLoader} points at its
 * line.
 */
public final class SettingRules {
    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(60);
    public static final Duration DEFAULT_LATENCY_INTERVAL = Duration.ofMillis(200);
    public static final int DEFAULT_PACKET_SIZE = 44;
    public static final Duration DEFAULT_LATENCY_TIMEOUT = Duration.ofSeconds(3);
    public static final boolean DEFAULT_THROUGHPUT_ENABLED = true;
    public static final Duration DEFAULT_THROUGHPUT_EVERY = Duration.ofHours(4);
    public static final Duration DEFAULT_THROUGHPUT_DURATION = Duration.ofSeconds(10);
    public static final int DEFAULT_STREAMS = 1;
    public static final String DEFAULT_DIRECTION = "both";
    public static final double MAX_EXPECTED_MBPS = 100_000;
    public static final int MAX_TARGETS = 16;
    /** Labels a site declares; each becomes a label on its linkprobe_site_info. */
    public static final int MAX_LABELS = 8;

    private SettingRules() {}

    public static void window(Duration window) {
        if (window.compareTo(Duration.ofSeconds(1)) < 0 || window.compareTo(Duration.ofHours(1)) > 0) {
            throw new InvalidValue("window", "window must be between 1s and 1h, was " + window.toMillis() + " ms");
        }
    }

    public static void latencyInterval(Duration interval) {
        if (interval.toMillis() < 10 || interval.toMillis() > 60_000) {
            throw new InvalidValue("interval", "latency.interval must be between 10ms and 60s");
        }
    }

    public static void packetSize(int packetSize) {
        if (packetSize < 44 || packetSize > 1472) {
            throw new InvalidValue("packet_size", "latency.packet_size must be between 44 and 1472 bytes");
        }
    }

    public static void latencyTimeout(Duration timeout) {
        if (timeout.toMillis() < 100 || timeout.toMillis() > 60_000) {
            throw new InvalidValue("timeout", "latency.timeout must be between 100ms and 60s");
        }
    }

    public static void throughputEvery(Duration every) {
        if (every.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new InvalidValue("every", "throughput.every must be at least 1m (tests load the line)");
        }
    }

    public static void throughputDuration(Duration duration) {
        if (duration.toMillis() < 1_000 || duration.toMillis() > 60_000) {
            throw new InvalidValue("duration", "throughput.duration must be between 1s and 60s");
        }
    }

    public static void streams(int streams) {
        if (streams < 1 || streams > 16) {
            throw new InvalidValue("streams", "throughput.streams must be between 1 and 16");
        }
    }

    public static void direction(String direction) {
        if (!direction.equals("down") && !direction.equals("up") && !direction.equals("both")) {
            throw new InvalidValue("direction", "throughput.direction must be down, up or both, was '" + direction + "'");
        }
    }

    public static void byteLimits(long maxBytesPerTest, long maxBytesPerDay) {
        if (maxBytesPerTest < 0 || maxBytesPerDay < 0) {
            throw new InvalidValue("", "throughput byte limits cannot be negative");
        }
    }

    /** The site's contracted rates in Mbit/s; 0 = not known. */
    public static void expectedRates(double downMbps, double upMbps) {
        if (!(downMbps >= 0 && upMbps >= 0 && downMbps <= MAX_EXPECTED_MBPS && upMbps <= MAX_EXPECTED_MBPS)) {
            throw new InvalidValue("", "expected rates must be between 0 and 100000 Mbit/s");
        }
    }

    /** A site's labels under {@code key}: at most {@value #MAX_LABELS}, names and values by {@link Names}' rules. */
    public static void labels(String key, Map<String, String> labels) {
        if (labels.size() > MAX_LABELS) {
            throw new InvalidValue(key, "at most " + MAX_LABELS + " labels are allowed, found " + labels.size());
        }
        for (Map.Entry<String, String> e : labels.entrySet()) {
            String problem = Names.labelKeyProblem(e.getKey());
            if (problem != null) {
                throw new InvalidValue(key, problem);
            }
            problem = Names.labelValueProblem(e.getValue(), Names.MAX_LABEL_VALUE_LENGTH);
            if (problem != null) {
                throw new InvalidValue(key, "label '" + e.getKey() + "' value " + problem);
            }
        }
    }

    /** The names of one {@code targets:} list, in order: at most {@value #MAX_TARGETS}, each used once. */
    public static void targetNames(List<String> names) {
        if (names.size() > MAX_TARGETS) {
            throw new InvalidValue("targets", "at most " + MAX_TARGETS + " targets are allowed, found " + names.size());
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            if (!seen.add(names.get(i))) {
                throw new InvalidValue("targets[" + i + "].name", "target name '" + names.get(i)
                        + "' is used twice; give each target its own name");
            }
        }
    }

    /** A target's {@code host}: a name or address, which the agent resolves when it probes. */
    public static void targetHost(String target, String host) {
        if (host == null || host.isBlank()) {
            throw new InvalidValue("host", "target '" + target + "' needs a 'host' (name or address of the reflector)");
        }
    }

    /** A target's ports (0 = that probe is off); at least one of STAMP and TCP connect must be on. */
    public static void targetPorts(String target, int stampPort, int throughputPort, int connectPort) {
        port(target, "stamp_port", stampPort);
        port(target, "throughput_port", throughputPort);
        port(target, "connect_port", connectPort);
        if (stampPort == 0 && connectPort == 0) {
            throw new InvalidValue("", "target '" + target + "' measures nothing: set stamp_port or connect_port");
        }
    }

    private static void port(String target, String key, int port) {
        if (port < 0 || port > 65535) {
            throw new InvalidValue(key, "target '" + target + "': " + key + " " + port + " is not a port (0-65535)");
        }
    }
}
