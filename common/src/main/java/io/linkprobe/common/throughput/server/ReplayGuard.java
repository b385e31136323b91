package io.linkprobe.common.throughput.server;

import io.linkprobe.common.throughput.protocol.TestId;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Refuses a signed HELLO replayed by someone who saw it on the wire: its timestamp must be within the
 * window of the server's clock, and its test id must be new. Ids are remembered for twice the window
 * (after that a replay fails the timestamp check anyway), and at most {@value #MAX_REMEMBERED}.
 */
final class ReplayGuard {
    static final long WINDOW_MILLIS = 5 * 60_000L;
    private static final int MAX_REMEMBERED = 100_000;

    private final LongSupplier clockMillis;
    private final Map<TestId, Long> seenAtMillis = new LinkedHashMap<>();

    ReplayGuard(LongSupplier clockMillis) {
        this.clockMillis = clockMillis;
    }

    /** Checks the timestamp (if asked) and the id; remembers the id if both pass. Returns why not. */
    synchronized Optional<String> check(TestId id, long clientTimeMillis, boolean checkClock) {
        long now = clockMillis.getAsLong();
        forgetOlderThan(now - 2 * WINDOW_MILLIS);
        long skew = clientTimeMillis - now;
        if (checkClock && Math.abs(skew) > WINDOW_MILLIS) {
            return Optional.of(String.format("hello timestamp is %+d s from the responder's clock "
                    + "(allowed ±%d s): check NTP on both ends", skew / 1000, WINDOW_MILLIS / 1000));
        }
        if (seenAtMillis.containsKey(id)) {
            return Optional.of("test id " + id + " was already used");
        }
        seenAtMillis.put(id, now);
        if (seenAtMillis.size() > MAX_REMEMBERED) {
            Iterator<?> oldest = seenAtMillis.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        return Optional.empty();
    }

    private void forgetOlderThan(long cutoffMillis) {
        Iterator<Long> it = seenAtMillis.values().iterator();
        while (it.hasNext() && it.next() < cutoffMillis) {
            it.remove();
        }
    }
}
