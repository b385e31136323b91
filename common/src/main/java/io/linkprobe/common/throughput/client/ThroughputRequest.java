package io.linkprobe.common.throughput.client;

import io.linkprobe.common.throughput.protocol.Direction;
import io.linkprobe.common.throughput.protocol.ThroughputKeys;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What {@link ThroughputClient#run} should measure. Start from {@link #to(String, int)} and adjust
 * with the {@code with…} methods.
 *
 * @param target the label results carry (the plan's target name); {@code host:port} by default
 * @param directions run one after the other, each on its own control connection
 * @param streams parallel data connections per direction (1..255)
 * @param maxDuration longest load per direction; the responder may grant less (default 10 s)
 * @param maxBytes byte cap per direction; 0 asks for the responder's limit (default 0)
 * @param keyId the site name the responder looks the key up by; "" when unauthenticated
 * @param secret the shared secret the HMAC key is derived from ({@link ThroughputKeys#derive});
 *     null to send unsigned hellos (accepted only by responders without keys)
 * @param intervalMillis measurement interval at the receiver (default 100)
 * @param connectTimeout for each TCP connect and for each answer the client waits for (default 5 s)
 * @param congestionControl TCP congestion control of the upload's sending sockets; null for the
 *     host's default (see {@link io.linkprobe.common.net.CongestionControl})
 */
public record ThroughputRequest(
        String target,
        String host,
        int port,
        List<Direction> directions,
        int streams,
        Duration maxDuration,
        long maxBytes,
        String keyId,
        String secret,
        int intervalMillis,
        Duration connectTimeout,
        String congestionControl) {

    public ThroughputRequest {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(maxDuration, "maxDuration");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        target = target == null ? host + ":" + port : target;
        directions = List.copyOf(directions);
        keyId = keyId == null ? "" : keyId;
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535");
        }
        if (directions.isEmpty()) {
            throw new IllegalArgumentException("at least one direction");
        }
        if (streams < 1 || streams > 255) {
            throw new IllegalArgumentException("streams must be 1..255");
        }
        if (maxDuration.toMillis() < 100 || maxDuration.toMillis() > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("maxDuration must be at least 100 ms");
        }
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must not be negative");
        }
        if (intervalMillis < 10 || intervalMillis > 1000) {
            throw new IllegalArgumentException("interval must be 10..1000 ms");
        }
        if (secret != null && secret.isEmpty()) {
            throw new IllegalArgumentException("secret must not be empty (use null for none)");
        }
    }

    /** Download only, 1 stream, 10 s, the responder's byte limit, 100 ms intervals, no key. */
    public static ThroughputRequest to(String host, int port) {
        return new ThroughputRequest(null, host, port, List.of(Direction.DOWN), 1, Duration.ofSeconds(10), 0,
                "", null, 100, Duration.ofSeconds(5), null);
    }

    public ThroughputRequest withTarget(String label) {
        return new ThroughputRequest(label, host, port, directions, streams, maxDuration, maxBytes, keyId, secret,
                intervalMillis, connectTimeout, congestionControl);
    }

    public ThroughputRequest withDirections(List<Direction> dirs) {
        return new ThroughputRequest(target, host, port, dirs, streams, maxDuration, maxBytes, keyId, secret,
                intervalMillis, connectTimeout, congestionControl);
    }

    public ThroughputRequest withStreams(int n) {
        return new ThroughputRequest(target, host, port, directions, n, maxDuration, maxBytes, keyId, secret,
                intervalMillis, connectTimeout, congestionControl);
    }

    public ThroughputRequest withLimits(Duration duration, long bytes) {
        return new ThroughputRequest(target, host, port, directions, streams, duration, bytes, keyId, secret,
                intervalMillis, connectTimeout, congestionControl);
    }

    /** Signs hellos with the key derived from {@code sharedSecret}, announced as {@code id}. */
    public ThroughputRequest withKey(String id, String sharedSecret) {
        return new ThroughputRequest(target, host, port, directions, streams, maxDuration, maxBytes, id,
                sharedSecret, intervalMillis, connectTimeout, congestionControl);
    }

    public ThroughputRequest withInterval(int millis) {
        return new ThroughputRequest(target, host, port, directions, streams, maxDuration, maxBytes, keyId, secret,
                millis, connectTimeout, congestionControl);
    }

    public ThroughputRequest withConnectTimeout(Duration timeout) {
        return new ThroughputRequest(target, host, port, directions, streams, maxDuration, maxBytes, keyId, secret,
                intervalMillis, timeout, congestionControl);
    }

    /** The upload's sending sockets use this TCP congestion control; null for the host's default. */
    public ThroughputRequest withCongestionControl(String algorithm) {
        return new ThroughputRequest(target, host, port, directions, streams, maxDuration, maxBytes, keyId, secret,
                intervalMillis, connectTimeout, algorithm);
    }
}
