package io.linkprobe.common.throughput.server;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits of a {@link ThroughputServer}. The server grants each test at most {@code maxDuration} and
 * {@code maxBytes}, whatever the client asks, and cuts a client that goes beyond them.
 *
 * @param maxConcurrentTests tests running at once; others get BUSY (default 1)
 * @param maxDuration longest load a test may run (default 30 s)
 * @param maxBytes most bytes a test may move (default 32 GiB, ~30 s at 10 Gbit/s)
 * @param queueLimit reservations held for BUSY clients (default 32)
 * @param maxStreams data connections per test (default 16)
 * @param keys HMAC keys by key id; null means no key configured (labs): hellos are not
 *     authenticated and their timestamps not checked
 * @param congestionControl TCP congestion control of the responder's sockets (it sends the
 *     downloads); null for the host's default
 */
public record ServerOptions(
        int maxConcurrentTests,
        Duration maxDuration,
        long maxBytes,
        int queueLimit,
        int maxStreams,
        KeyLookup keys,
        String congestionControl) {

    public static final int DEFAULT_MAX_CONCURRENT_TESTS = 1;
    public static final int DEFAULT_MAX_DURATION_SECONDS = 30;
    /** 32 GiB: about 30 s at 10 Gbit/s. */
    public static final long DEFAULT_MAX_BYTES = 32L << 30;
    public static final int DEFAULT_QUEUE_LIMIT = 32;
    public static final int DEFAULT_MAX_STREAMS = 16;

    public ServerOptions {
        Objects.requireNonNull(maxDuration, "maxDuration");
        if (maxConcurrentTests < 1) {
            throw new IllegalArgumentException("maxConcurrentTests must be at least 1");
        }
        if (maxDuration.toMillis() < 100 || maxDuration.toMillis() > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("maxDuration must be between 100 ms and 49 days");
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive");
        }
        if (queueLimit < 0 || queueLimit > 0xFFFF) {
            throw new IllegalArgumentException("queueLimit must be between 0 and 65535");
        }
        if (maxStreams < 1 || maxStreams > 255) {
            throw new IllegalArgumentException("maxStreams must be between 1 and 255");
        }
    }

    /** Defaults, unauthenticated. */
    public static ServerOptions defaults() {
        return new ServerOptions(DEFAULT_MAX_CONCURRENT_TESTS, Duration.ofSeconds(DEFAULT_MAX_DURATION_SECONDS),
                DEFAULT_MAX_BYTES, DEFAULT_QUEUE_LIMIT, DEFAULT_MAX_STREAMS, null, null);
    }

    public ServerOptions withKeys(KeyLookup lookup) {
        return new ServerOptions(maxConcurrentTests, maxDuration, maxBytes, queueLimit, maxStreams, lookup, congestionControl);
    }

    public ServerOptions withMaxConcurrentTests(int n) {
        return new ServerOptions(n, maxDuration, maxBytes, queueLimit, maxStreams, keys, congestionControl);
    }

    public ServerOptions withLimits(Duration duration, long bytes) {
        return new ServerOptions(maxConcurrentTests, duration, bytes, queueLimit, maxStreams, keys, congestionControl);
    }

    /** The responder's sockets (downloads are sent from them) use this congestion control; null for the default. */
    public ServerOptions withCongestionControl(String algorithm) {
        return new ServerOptions(maxConcurrentTests, maxDuration, maxBytes, queueLimit, maxStreams, keys, algorithm);
    }

    public boolean authenticated() {
        return keys != null;
    }
}
