package io.linkprobe.agent.runtime;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The per-site daily byte budget of one kind of test, over a sliding 24 h: on a metered or slow
 * line, tests must never become the traffic. The bytes spent are kept across plan changes; the
 * limit is the one in force when the next test asks. A kind's budget may have a {@code site}
 * budget above it that every kind's bytes count in (the site's test traffic as a whole).
 */
final class DailyBudget {
    private static final long DAY_MILLIS = 86_400_000L;
    private final Deque<long[]> spent = new ArrayDeque<>();
    private final DailyBudget site;

    DailyBudget() {
        this(null);
    }

    /** @param site the budget of all kinds together; null = none */
    DailyBudget(DailyBudget site) {
        this.site = site;
    }

    /** Within this kind's limit and the site's: {@code siteMaxBytesPerDay} 0 = no site budget. */
    boolean allows(long nextTestBytes, long maxBytesPerDay, long siteMaxBytesPerDay) {
        return allows(nextTestBytes, maxBytesPerDay) && (site == null || site.allows(nextTestBytes, siteMaxBytesPerDay));
    }

    /** @param maxBytesPerDay the limit in force; 0 = no budget */
    synchronized boolean allows(long nextTestBytes, long maxBytesPerDay) {
        if (maxBytesPerDay <= 0) {
            return true;
        }
        expire(System.currentTimeMillis());
        return total() + Math.max(0, nextTestBytes) <= maxBytesPerDay;
    }

    void used(long bytes) {
        synchronized (this) {
            spent.addLast(new long[] {System.currentTimeMillis(), bytes});
        }
        if (site != null) {
            site.used(bytes);
        }
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
