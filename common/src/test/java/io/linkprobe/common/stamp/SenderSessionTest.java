package io.linkprobe.common.stamp;

import static io.linkprobe.common.stamp.SessionDriver.MS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.common.wire.LatencyWindow;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Loss, direction, duplicates and reordering, decided packet by packet on a simulated clock. */
class SenderSessionTest {
    static final long TIMEOUT = 100 * MS;
    static final long GRACE = 100 * MS;

    @Test
    void statefulReflectorSplitsForwardFromBackwardLoss() {
        SessionDriver d = new SessionDriver(TIMEOUT);
        d.dropForward.addAll(List.of(3L, 7L));
        d.dropBackward.add(5L);
        d.sendEvery(10, 10 * MS, GRACE);
        d.advance(300 * MS, true, GRACE);
        LatencyWindow w = d.drain();
        assertEquals(10, w.sent());
        assertEquals(7, w.received());
        assertEquals(2, w.lostForward());
        assertEquals(1, w.lostBackward());
        assertTrue(d.session.reflectorCountsOwnSequence());
        assertTrue(d.session.allDecided());
    }

    @Test
    void consecutiveLossesOfBothKindsInOneGap() {
        SessionDriver d = new SessionDriver(TIMEOUT);
        d.dropForward.addAll(List.of(2L, 3L, 5L));
        d.dropBackward.addAll(List.of(4L, 6L));
        d.sendEvery(10, 10 * MS, GRACE);
        d.advance(300 * MS, true, GRACE);
        LatencyWindow w = d.drain();
        assertEquals(5, w.received());
        assertEquals(3, w.lostForward());
        assertEquals(2, w.lostBackward());
    }

    @Test
    void statelessReflectorMakesEveryBracketedLossBackward() {
        SessionDriver d = new SessionDriver(TIMEOUT);
        d.stateless = true;
        d.dropForward.addAll(List.of(3L, 7L));
        d.dropBackward.add(5L);
        d.sendEvery(10, 10 * MS, GRACE);
        d.advance(300 * MS, true, GRACE);
        LatencyWindow w = d.drain();
        assertEquals(0, w.lostForward());
        assertEquals(3, w.lostBackward());
        assertFalse(d.session.reflectorCountsOwnSequence(), "an echoing reflector proves nothing");
    }

    @Test
    void lossIsDecidedAtTheTimeoutNotAtTheEndOfTheWindow() {
        SessionDriver d = new SessionDriver(TIMEOUT);
        d.dropForward.add(2L);
        d.sendEvery(5, 10 * MS, GRACE); // t = 50 ms: packet 2 (sent at 20 ms) not yet timed out
        LatencyWindow first = d.drain();
        assertEquals(4, first.received(), "0, 1, 3 and 4 answered");
        assertEquals(0, first.lost(), "packet 2 is not lost before its timeout");
        assertEquals(4, first.sent());
        d.advance(80 * MS, false, GRACE); // t = 130 ms: packet 2 timed out at 120 ms, bracketed by 3
        LatencyWindow second = d.drain();
        assertEquals(1, second.sent());
        assertEquals(1, second.lostForward());
        assertEquals(0, second.lostBackward());
    }

    @Test
    void everyWindowBalancesWhateverTheDrainTimes() {
        SessionDriver d = new SessionDriver(TIMEOUT);
        for (long s = 0; s < 200; s += 7) {
            d.dropForward.add(s);
        }
        for (long s = 3; s < 200; s += 11) {
            d.dropBackward.add(s);
        }
        long sent = 0, received = 0, forward = 0, backward = 0;
        for (int window = 0; window < 10; window++) {
            d.sendEvery(20, 10 * MS, GRACE);
            LatencyWindow w = d.drain();
            assertEquals(w.sent(), w.received() + w.lostForward() + w.lostBackward(), "window " + window);
            sent += w.sent();
            received += w.received();
            forward += w.lostForward();
            backward += w.lostBackward();
        }
        d.advance(300 * MS, true, GRACE);
        LatencyWindow last = d.drain();
        sent += last.sent();
        received += last.received();
        forward += last.lostForward();
        backward += last.lostBackward();
        assertEquals(200, sent);
        assertEquals(29, forward); // 0, 7, ..., 196
        long backwardOnly = java.util.stream.LongStream.iterate(3, s -> s < 200, s -> s + 11).filter(s -> s % 7 != 0).count();
        assertEquals(backwardOnly, backward);
        assertEquals(200 - 29 - backwardOnly, received);
    }

    @Test
    void lossesWithNoLaterReplyAreSettledForwardWhenNothingMoreIsSent() {
        SessionDriver d = new SessionDriver(TIMEOUT);
        d.dropBackward.addAll(List.of(8L, 9L)); // the last two: nothing after them tells their direction
        d.sendEvery(10, 10 * MS, GRACE);
        d.advance(300 * MS, true, GRACE);
        LatencyWindow w = d.drain();
        assertEquals(8, w.received());
        assertEquals(2, w.lostForward(), "unknown direction is counted forward (documented)");
        assertTrue(d.session.allDecided());
    }

    @Test
    void aForwardOutageLongerThanTheGraceIsAllForward() {
        SessionDriver d = new SessionDriver(TIMEOUT);
        for (long s = 3; s <= 40; s++) {
            d.dropForward.add(s);
        }
        d.sendEvery(50, 10 * MS, GRACE);
        d.advance(300 * MS, true, GRACE);
        LatencyWindow w = d.drain();
        assertEquals(38, w.lostForward());
        assertEquals(0, w.lostBackward());
    }

    @Test
    void aBackwardOutageIsSplitRightFromTheFirstLaterReplyOn() {
        SessionDriver d = new SessionDriver(TIMEOUT);
        for (long s = 3; s <= 40; s++) {
            d.dropBackward.add(s);
        }
        d.sendEvery(50, 10 * MS, GRACE);
        d.advance(300 * MS, true, GRACE);
        LatencyWindow w = d.drain();
        assertEquals(38, w.lost());
        // No reply arrives from 3 ms to 411 ms (reply 41). Packets time out at send + 100 ms; with
        // nothing later to go by, pending losses are guessed forward each time the 100 ms grace runs
        // out: at 230 ms (3..13) and 340 ms (14..24). Reply 41 shows that all of them reached the
        // reflector, so from then on (25..40) every loss is counted backward. The guess costs 22.
        assertEquals(22, w.lostForward());
        assertEquals(16, w.lostBackward());
    }

    @Test
    void aBackwardOutageShorterThanTheGraceIsAllBackward() {
        SessionDriver d = new SessionDriver(TIMEOUT);
        for (long s = 3; s <= 10; s++) {
            d.dropBackward.add(s);
        }
        d.sendEvery(20, 10 * MS, GRACE);
        d.advance(300 * MS, true, GRACE);
        LatencyWindow w = d.drain();
        assertEquals(0, w.lostForward());
        assertEquals(8, w.lostBackward());
    }

    @Test
    void aReplyAfterTheTimeoutStaysLostAndCountsLateAsBackward() {
        SessionDriver d = new SessionDriver(TIMEOUT);
        d.extraBackwardDelayNanos.put(3L, 150 * MS);
        d.sendEvery(10, 10 * MS, GRACE);
        d.advance(300 * MS, true, GRACE);
        LatencyWindow w = d.drain();
        assertEquals(9, w.received());
        assertEquals(0, w.lostForward());
        assertEquals(1, w.lostBackward(), "it reached the reflector");
        assertEquals(1, d.session.lateReplies());
    }

    /**
     * A reply read after the timeout but before the tick that would have marked it: still lost, so
     * that no RTT in a window exceeds the timeout the window declares (the collector refuses one).
     */
    @Test
    void aReplyReadAfterTheTimeoutBeforeTheTickIsLostAndNoRttExceedsTheTimeout() {
        SessionDriver d = new SessionDriver(TIMEOUT);
        d.extraBackwardDelayNanos.put(3L, TIMEOUT - d.rttNanos + MS / 2); // due half a tick past the timeout
        d.sendEvery(10, 10 * MS, GRACE);
        d.advance(300 * MS, true, GRACE);
        LatencyWindow w = d.drain();
        assertEquals(9, w.received());
        assertEquals(1, w.lostBackward());
        assertEquals(1, d.session.lateReplies());
        assertEquals(TIMEOUT / MS, w.timeoutMillis());
        for (int rtt : w.rttMicros()) {
            assertTrue(rtt <= TIMEOUT / 1_000, rtt + " µs");
        }
    }

    /**
     * A sender preempted between reading T1 (wall clock) and its monotonic send time: the kernel's
     * transmit timestamp, 10 ms after T1, must not move the monotonic send time past the moment the
     * send call returned (the chaos tests saw RTTs of -10 ms at load 18, which the collector refuses).
     */
    @Test
    void aSenderPreemptedBetweenItsTwoClockReadsNeverGetsANegativeRtt() {
        SenderSession s = new SenderSession(TIMEOUT, 64, 1_700_000_000_000L);
        long wallT1 = 1_700_000_000_000_000_000L;
        long sentMono = 5_000 * MS + 10 * MS; // read 10 ms after T1: preempted in between
        s.sent(sentMono, wallT1, 44);
        s.transmittedLast(10 * MS + 20_000, sentMono + 50_000); // left 20 us after; the call returned 30 us later
        long t = NtpTimestamp.fromEpoch(1_700_000_000L, 0);
        long rtt = s.replied(new ReflectorPacket(0, t, 0x12A4, 1, t, 0, 0, 0x12A4, 0, 44), sentMono + 120_000,
                wallT1 + 10 * MS + 120_000, -1, null, false, 0x12A4);
        assertTrue(rtt > 0 && rtt <= 120_000, "rtt " + rtt + " ns");
    }

    @Test
    void duplicatedReplyIsCountedOnceAndAsDuplicate() {
        SessionDriver d = new SessionDriver(TIMEOUT);
        d.duplicateBackward.add(4L);
        d.sendEvery(10, 10 * MS, GRACE);
        d.advance(300 * MS, true, GRACE);
        LatencyWindow w = d.drain();
        assertEquals(10, w.received());
        assertEquals(1, w.duplicates());
        assertEquals(0, w.lost());
    }

    @Test
    void reorderedReplyIsCountedAndItsRttKeptInSendingOrder() {
        SessionDriver d = new SessionDriver(TIMEOUT);
        d.extraBackwardDelayNanos.put(4L, 15 * MS); // reply 4 arrives after reply 5
        d.sendEvery(10, 10 * MS, GRACE);
        d.advance(300 * MS, true, GRACE);
        LatencyWindow w = d.drain();
        assertEquals(10, w.received());
        assertEquals(1, w.reordered());
        assertEquals(0, w.lost());
        int[] expected = {1000, 1000, 1000, 1000, 16000, 1000, 1000, 1000, 1000, 1000};
        assertArrayEquals(expected, w.rttMicros());
    }

    @Test
    void reflectorRestartStartsANewEpochInsteadOfInventingLosses() {
        SessionDriver d = new SessionDriver(TIMEOUT);
        d.sendEvery(5, 10 * MS, GRACE);
        d.reflectorCounter = 0; // the reflector forgot the session
        d.sendEvery(5, 10 * MS, GRACE);
        d.advance(300 * MS, true, GRACE);
        LatencyWindow w = d.drain();
        assertEquals(10, w.received());
        assertEquals(0, w.lost());
    }

    @Test
    void reflectorTurnaroundIsTakenOutOfTheRtt() {
        SessionDriver d = new SessionDriver(TIMEOUT);
        d.rttNanos = 3 * MS;
        d.turnaroundNanos = MS / 2;
        d.sendEvery(3, 10 * MS, GRACE);
        d.advance(300 * MS, true, GRACE);
        assertArrayEquals(new int[] {2500, 2500, 2500}, d.drain().rttMicros());
    }

    @Test
    void outrunningTheRingTimesOutTheOldestEarlyButLosesNoAccount() {
        SessionDriver d = new SessionDriver(TIMEOUT, 8);
        for (long s = 0; s < 30; s++) {
            d.dropForward.add(s);
        }
        for (int i = 0; i < 30; i++) {
            d.send(); // no time passes: 30 packets in flight in a ring of 8
        }
        d.advance(300 * MS, true, GRACE);
        LatencyWindow w = d.drain();
        assertEquals(30, w.sent());
        assertEquals(30, w.lostForward());
    }

    @Test
    void unknownAndNeverSentSequenceNumbersAreIgnored() {
        SessionDriver d = new SessionDriver(TIMEOUT);
        d.send();
        d.session.replied(new ReflectorPacket(0, 0, 0, 1, 0, 77, 0, 0, 0, 44), d.now, 0, false, 0);
        assertEquals(1, d.session.unknownReplies());
        d.advance(300 * MS, true, GRACE);
        assertEquals(1, d.drain().received());
    }
}
