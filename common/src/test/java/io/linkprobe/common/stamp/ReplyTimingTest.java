package io.linkprobe.common.stamp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReplyTimingTest {
    static final long MS = 1_000_000L;
    static final long SENT_MONO = 5_000 * MS;
    static final long SENT_WALL = 1_700_000_000_000L * MS;

    @Test
    void theKernelsArrivalIsUsedWhenBothClocksAgreeOnTheFlight() {
        // sent, the kernel stamps the reply 1.0 ms later, the loop reads it 0.7 ms after that
        long rtt = ReplyTiming.elapsedNanos(SENT_MONO, SENT_WALL, SENT_MONO + 1_700_000, SENT_WALL + 1_700_000,
                SENT_WALL + 1_000_000);
        assertEquals(1_000_000, rtt, "the wake-up (0.7 ms) stays out");
    }

    @Test
    void aWallClockStepForwardDuringTheFlightFallsBackToTheMonotonicRtt() {
        long step = 1_000 * MS; // NTP stepped the clock by +1 s between send and read
        long rtt = ReplyTiming.elapsedNanos(SENT_MONO, SENT_WALL, SENT_MONO + 1_700_000, SENT_WALL + step + 1_700_000,
                SENT_WALL + step + 1_000_000);
        assertEquals(1_700_000, rtt);
    }

    @Test
    void aWallClockStepBackwardDuringTheFlightFallsBackToTheMonotonicRtt() {
        long step = -400_000; // -0.4 ms: the kernel's T4 would make the RTT 0.6 ms
        assertFalse(ReplyTiming.kernelUsable(SENT_MONO, SENT_WALL, SENT_MONO + 1_700_000, SENT_WALL + step + 1_700_000,
                SENT_WALL + step + 1_000_000));
        assertEquals(1_700_000, ReplyTiming.elapsedNanos(SENT_MONO, SENT_WALL, SENT_MONO + 1_700_000,
                SENT_WALL + step + 1_700_000, SENT_WALL + step + 1_000_000));
    }

    @Test
    void aKernelTimeOutsideTheFlightOrMissingIsNotUsed() {
        long readMono = SENT_MONO + 1_700_000;
        long readWall = SENT_WALL + 1_700_000;
        assertFalse(ReplyTiming.kernelUsable(SENT_MONO, SENT_WALL, readMono, readWall, -1), "none (Netty path)");
        assertFalse(ReplyTiming.kernelUsable(SENT_MONO, SENT_WALL, readMono, readWall, SENT_WALL - 1), "before the send");
        assertFalse(ReplyTiming.kernelUsable(SENT_MONO, SENT_WALL, readMono, readWall, readWall + 1), "after the read");
        assertFalse(ReplyTiming.kernelUsable(SENT_MONO, 0, readMono, readWall, SENT_WALL + 1_000_000), "no wall-clock send time");
        assertTrue(ReplyTiming.kernelUsable(SENT_MONO, SENT_WALL, readMono, readWall, readWall), "at the read itself");
    }

    @Test
    void smallDisagreementsFromReadingTwoClocksAreTolerated() {
        long jitter = ReplyTiming.STEP_TOLERANCE_NANOS;
        assertTrue(ReplyTiming.kernelUsable(SENT_MONO, SENT_WALL, SENT_MONO + 2 * MS, SENT_WALL + 2 * MS + jitter,
                SENT_WALL + MS));
        assertFalse(ReplyTiming.kernelUsable(SENT_MONO, SENT_WALL, SENT_MONO + 2 * MS, SENT_WALL + 2 * MS + jitter + 1,
                SENT_WALL + MS), "a thread preempted between its two clock reads: monotonic it is");
    }

    @Test
    void theSessionCountsWhichClockEachRttCameFrom() {
        SenderSession s = new SenderSession(3_000 * MS, 64, 0);
        ReflectorPacket reply0 = new ReflectorPacket(0, 0, 0, 1, 0, 0, 0, 0, 64, 44);
        ReflectorPacket reply1 = new ReflectorPacket(1, 0, 0, 1, 0, 1, 0, 0, 64, 44);
        s.sent(SENT_MONO, SENT_WALL, 44);
        s.sent(SENT_MONO + MS, SENT_WALL + MS, 44);
        assertEquals(1_000_000, s.replied(reply0, SENT_MONO + 1_500_000, SENT_WALL + 1_500_000, SENT_WALL + 1_000_000,
                null, false, 0));
        assertEquals(1_900_000, s.replied(reply1, SENT_MONO + 2_900_000, SENT_WALL + 2_900_000 + 5 * MS,
                SENT_WALL + 2_000_000 + 5 * MS, null, false, 0), "a 5 ms step: monotonic");
        assertEquals(1, s.kernelRtts());
        assertEquals(1, s.userRtts());
    }
}
