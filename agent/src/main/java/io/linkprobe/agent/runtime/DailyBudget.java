package io.linkprobe.agent.runtime;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The per-site daily byte budget of one kind of test, over a sliding 24 h: on a metered or slow
 * line, tests must never become the traffic. The bytes spent are kept across plan changes; the
 * limit is the one in force when the next test asks.
 */
final class DailyBudget {
    private static final long DAY_MILLIS = 86_400_000L;
    private final Deque<long[]> spent = new ArrayDeque<>();

    /** @param maxBytesPerDay the limit in force; 0 = no budget */
    synchronized boolean allows(long nextTestBytes, long maxBytesPerDay) {
        if (maxBytesPerDay <= 0) {
            return true;
        }
        expire(System.currentTimeMillis());
        return total() + Math.max(0, nextTestBytes) <= maxBytesPerDay;
    }

    synchronized void used(long bytes) {
        spent.addLast(new long[] {System.currentTimeMillis(), bytes});
    }

    private void expire(long now) {
        while (!spent.isEmpty() && spent.peekFirst()[0] < now - DAY_MILLIS) {
            spent.removeFirst();
        }
    }

    private long total() {
        long t = 0;
        for (long[] e : spent) {
            t += e[1];
        }
        return t;
    }
}
