package io.linkprobe.common.stamp;

import java.net.InetSocketAddress;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The stateful reflector's sessions (RFC 8972 §4: one per sender address, port and SSID), each with
 * its own sequence counter. Access-ordered, so the eldest entry is always the one seen longest ago:
 * the idle sweep stops at the first live session and the size bound evicts the least recently seen.
 *
 * <p>A session's count restarts at 0 when its sender's does: a sender that binds a fixed source port
 * (TWAMP-Light senders often use 20000) and starts a new run at sequence 0 is a new session to it,
 * and answering 0, 1, 2... with the old count would make it compute impossible loss until the old
 * session idled out. A request numbered 0 restarts the count when the session has already seen
 * sequence {@link #RESTART_AFTER} or later, or anything after 0 and has been quiet for
 * {@link #RESTART_QUIET_NANOS}; an early packet 0 merely reordered or duplicated does neither.
 *
 * <p>Confined to the reflector channel's event loop. A lookup reuses one mutable probe key, so a
 * packet of a known session allocates nothing here.
 */
final class ReflectorSessions {
    static final long RESTART_AFTER = 16;
    static final long RESTART_QUIET_NANOS = 1_000_000_000L;
    private final int maxSessions;
    private final long idleNanos;
    private final Key probe = new Key(null, 0);
    private final LinkedHashMap<Key, Session> sessions;
    private long evicted;
    private long restarts;

    ReflectorSessions(int maxSessions, long idleNanos) {
        this.maxSessions = maxSessions;
        this.idleNanos = idleNanos;
        this.sessions = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Session> eldest) {
                if (size() > ReflectorSessions.this.maxSessions) {
                    evicted++;
                    return true;
                }
                return false;
            }
        };
    }

    /**
     * The next reflector sequence number of this sender's session, creating the session if new and
     * restarting its count if the sender restarted its own (class comment).
     *
     * @param senderSeq the request's sequence number (unsigned 32 bits)
     */
    long nextSequence(InetSocketAddress sender, int ssid, long senderSeq, long nowNanos) {
        probe.address = sender;
        probe.ssid = ssid;
        Session s = sessions.get(probe);
        probe.address = null;
        if (s == null) {
            s = new Session();
            sessions.put(new Key(sender, ssid), s);
        } else if (senderSeq == 0 && (s.highestSenderSeq >= RESTART_AFTER
                || (s.highestSenderSeq > 0 && nowNanos - s.lastSeenNanos >= RESTART_QUIET_NANOS))) {
            s.next = 0;
            s.highestSenderSeq = -1;
            restarts++;
        }
        s.lastSeenNanos = nowNanos;
        s.highestSenderSeq = Math.max(s.highestSenderSeq, senderSeq);
        return s.next++;
    }

    /** Forgets sessions idle for longer than the timeout; returns how many. */
    int expireIdle(long nowNanos) {
        int removed = 0;
        Iterator<Session> it = sessions.values().iterator();
        while (it.hasNext()) {
            if (nowNanos - it.next().lastSeenNanos < idleNanos) {
                break; // access order: everything after this was seen more recently
            }
            it.remove();
            removed++;
        }
        return removed;
    }

    int size() {
        return sessions.size();
    }

    long evicted() {
        return evicted;
    }

    /** Sessions whose count restarted because their sender's did. */
    long restarts() {
        return restarts;
    }

    private static final class Session {
        long next;
        long lastSeenNanos;
        long highestSenderSeq = -1;
    }

    /** Sender address, port and SSID. Stored keys are never mutated; only {@link #probe} is. */
    private static final class Key {
        InetSocketAddress address;
        int ssid;

        Key(InetSocketAddress address, int ssid) {
            this.address = address;
            this.ssid = ssid;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && ssid == k.ssid && address.equals(k.address);
        }

        @Override
        public int hashCode() {
            return address.hashCode() * 31 + ssid;
        }
    }
}
