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
 * <p>Confined to the reflector channel's event loop. A lookup reuses one mutable probe key, so a
 * packet of a known session allocates nothing here.
 */
final class ReflectorSessions {
    private final int maxSessions;
    private final long idleNanos;
    private final Key probe = new Key(null, 0);
    private final LinkedHashMap<Key, Session> sessions;
    private long evicted;

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

    /** The next reflector sequence number of this sender's session, creating the session if new. */
    long nextSequence(InetSocketAddress sender, int ssid, long nowNanos) {
        probe.address = sender;
        probe.ssid = ssid;
        Session s = sessions.get(probe);
        probe.address = null;
        if (s == null) {
            s = new Session();
            sessions.put(new Key(sender, ssid), s);
        }
        s.lastSeenNanos = nowNanos;
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

    private static final class Session {
        long next;
        long lastSeenNanos;
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
