package io.linkprobe.common.stamp;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link StampReflector} behaves.
 *
 * @param maxSessions sessions kept at once; beyond it the least recently seen one is dropped (its
 *     sender then sees the reflector's sequence restart, which it handles)
 * @param sessionIdleTimeout a session unseen this long is forgotten
 * @param clock what the reflector's Error Estimate says about its clock
 * @param auth the shared key for authenticated mode, or null for unauthenticated
 * @param kernelTimestamps take T2 from the kernel and read the TTL through the native socket where
 *     this machine has it ({@link StampReflector#timestamps()} says what was used); false keeps the
 *     Netty socket and user-space timestamps
 */
public record ReflectorOptions(int maxSessions, Duration sessionIdleTimeout, ClockSync clock, StampAuth auth,
        boolean kernelTimestamps) {
    public static final int DEFAULT_MAX_SESSIONS = 50_000;
    public static final Duration DEFAULT_SESSION_IDLE_TIMEOUT = Duration.ofMinutes(5);

    public ReflectorOptions {
        if (maxSessions < 1) {
            throw new IllegalArgumentException("maxSessions must be at least 1, got " + maxSessions);
        }
        Objects.requireNonNull(sessionIdleTimeout, "sessionIdleTimeout");
        if (sessionIdleTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("sessionIdleTimeout must be at least 1ms, got " + sessionIdleTimeout);
        }
        Objects.requireNonNull(clock, "clock");
    }

    /** 50,000 sessions, 5 minutes idle, unsynchronised clock, unauthenticated, kernel timestamps where possible. */
    public static ReflectorOptions defaults() {
        return new ReflectorOptions(DEFAULT_MAX_SESSIONS, DEFAULT_SESSION_IDLE_TIMEOUT, ClockSync.UNSYNCHRONIZED, null, true);
    }

    public StampMode mode() {
        return auth == null ? StampMode.UNAUTHENTICATED : StampMode.AUTHENTICATED;
    }

    public ReflectorOptions withMaxSessions(int n) {
        return new ReflectorOptions(n, sessionIdleTimeout, clock, auth, kernelTimestamps);
    }

    public ReflectorOptions withSessionIdleTimeout(Duration d) {
        return new ReflectorOptions(maxSessions, d, clock, auth, kernelTimestamps);
    }

    public ReflectorOptions withClock(ClockSync c) {
        return new ReflectorOptions(maxSessions, sessionIdleTimeout, c, auth, kernelTimestamps);
    }

    public ReflectorOptions withAuth(StampAuth a) {
        return new ReflectorOptions(maxSessions, sessionIdleTimeout, clock, a, kernelTimestamps);
    }

    public ReflectorOptions withKernelTimestamps(boolean on) {
        return new ReflectorOptions(maxSessions, sessionIdleTimeout, clock, auth, on);
    }
}
