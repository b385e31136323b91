package io.linkprobe.common.stamp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class ReflectorSessionsTest {
    static final InetSocketAddress TWAMPY = new InetSocketAddress("198.18.0.1", 20000);
    static final long MS = 1_000_000L;

    @Test
    void aSenderRestartingAtZeroOnTheSamePortGetsAFreshCount() {
        ReflectorSessions sessions = new ReflectorSessions(10, 300_000 * MS);
        long now = 0;
        for (long s = 0; s < 50; s++) {
            assertEquals(s, sessions.nextSequence(TWAMPY, 0, s, now += 10 * MS));
        }
        // twampy's next run: same address and port, sequence from 0 again, 100 ms later
        for (long s = 0; s < 50; s++) {
            assertEquals(s, sessions.nextSequence(TWAMPY, 0, s, now += 10 * MS), "second run, sender seq " + s);
        }
        assertEquals(1, sessions.restarts());
        assertEquals(1, sessions.size());
    }

    @Test
    void anEarlyZeroReorderedOrDuplicatedDoesNotRestartTheCount() {
        ReflectorSessions sessions = new ReflectorSessions(10, 300_000 * MS);
        assertEquals(0, sessions.nextSequence(TWAMPY, 0, 1, 0)); // 1 overtook 0
        assertEquals(1, sessions.nextSequence(TWAMPY, 0, 0, MS));
        assertEquals(2, sessions.nextSequence(TWAMPY, 0, 0, 2 * MS)); // 0 duplicated
        assertEquals(3, sessions.nextSequence(TWAMPY, 0, 2, 3 * MS));
        assertEquals(0, sessions.restarts());
    }

    @Test
    void aShortRunRestartingAfterAQuietSecondGetsAFreshCount() {
        ReflectorSessions sessions = new ReflectorSessions(10, 300_000 * MS);
        for (long s = 0; s < 5; s++) {
            sessions.nextSequence(TWAMPY, 0, s, s * MS);
        }
        assertEquals(0, sessions.nextSequence(TWAMPY, 0, 0, 4 * MS + ReflectorSessions.RESTART_QUIET_NANOS));
        assertEquals(1, sessions.restarts());
    }

    @Test
    void anotherPortOrSsidIsAnotherSession() {
        ReflectorSessions sessions = new ReflectorSessions(10, 300_000 * MS);
        assertEquals(0, sessions.nextSequence(TWAMPY, 0, 0, 0));
        assertEquals(0, sessions.nextSequence(new InetSocketAddress("198.18.0.1", 20001), 0, 0, 0));
        assertEquals(0, sessions.nextSequence(TWAMPY, 7, 0, 0));
        assertEquals(1, sessions.nextSequence(TWAMPY, 0, 1, 0));
    }
}
