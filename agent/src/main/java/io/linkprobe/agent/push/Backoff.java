package io.linkprobe.agent.push;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter (sleep = random(0, min(cap, base × 2^attempt))): after a
 * collector outage, thousands of agents must not come back in lock-step.
 */
public final class Backoff {
    private final long baseMillis;
    private final long capMillis;
    private int attempt;

    public Backoff(Duration base, Duration cap) {
        this.baseMillis = base.toMillis();
        this.capMillis = cap.toMillis();
    }

    public Duration next() {
        long ceiling = Math.min(capMillis, baseMillis << Math.min(attempt, 30));
        attempt++;
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling + 1));
    }

    /** At least what the server asked for in Retry-After, plus jitter so agents spread out. */
    public Duration after(Duration retryAfter) {
        attempt++;
        long spread = Math.max(1, retryAfter.toMillis() / 2);
        return retryAfter.plusMillis(ThreadLocalRandom.current().nextLong(spread));
    }

    public Duration cap() {
        return Duration.ofMillis(capMillis);
    }

    public void reset() {
        attempt = 0;
    }
}
