package io.linkprobe.common.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.common.stamp.AnsweredPacket;
import io.linkprobe.common.wire.VideoResult;
import org.junit.jupiter.api.Test;

/**
 * Call figures from hand-made traces: which packets came back, with which reflector number and
 * transits. A stateful reflector numbers the requests it received 0, 1, 2 …; transits carry a
 * clock offset (here 5 s) that must never show in jitter or delay variation.
 */
class CallTraceTest {
    private static final int SIZE = 1200;
    private static final long MS = 1_000_000;
    private static final long OFFSET = 5_000 * MS;

    /** Forward transit {@code fwdMs} (plus the clock offset) and backward {@code backMs}. */
    private static AnsweredPacket answer(long s, long r, double fwdMs, double backMs) {
        long fwd = OFFSET + (long) (fwdMs * MS);
        return new AnsweredPacket(s, r, fwd + (long) (backMs * MS) - OFFSET, fwd);
    }

    private static CallFigures figures(CallTrace t, long sent) {
        return t.figures(sent, SIZE, sent * 0.008, AudioAssumptions.DEFAULTS);
    }

    @Test
    void aCleanCallLosesNothingAndHasNoJitterWhateverTheClockOffset() {
        CallTrace t = new CallTrace();
        for (int i = 0; i < 100; i++) {
            t.accept(answer(i, i, 10, 10));
        }
        CallFigures f = figures(t, 100);
        for (VideoResult.Direction d : new VideoResult.Direction[] {f.up(), f.down()}) {
            assertEquals(100, d.packets());
            assertEquals(0, d.lost());
            assertEquals(0, d.longestBurst());
            assertEquals(0, d.jitterMicros(), 1e-6);
            assertEquals(0, d.delayVariationMicros(), 1e-6);
            assertEquals(0, d.reordered());
            assertEquals(150_000, d.deliveredBytesPerSecond(), 1e-6); // 1200 B every 8 ms
        }
        assertEquals(20_000, f.rttP50Micros(), 1e-6);
        assertEquals(20_000, f.rttMinMicros(), 1e-6);
        assertEquals(240_000, f.bytes());
        assertTrue(f.mos() > 4.3, "a clean 20 ms call: MOS " + f.mos());
    }

    @Test
    void requestsThatNeverReachedTheReflectorAreLostUp() {
        CallTrace t = new CallTrace();
        // 10 sent; 3, 4 and 5 never arrive: the reflector numbers 6 as its 3rd.
        long r = 0;
        for (int s = 0; s < 10; s++) {
            if (s < 3 || s > 5) {
                t.accept(answer(s, r++, 10, 10));
            }
        }
        CallFigures f = figures(t, 10);
        assertEquals(3, f.up().lost());
        assertEquals(3, f.up().longestBurst());
        assertEquals(30.0, f.up().lossPercent(), 1e-9);
        assertEquals(0, f.down().lost());
        assertEquals(7, f.down().packets(), "the reflector sent back what reached it");
    }

    @Test
    void repliesLostOnTheWayBackAreLostDownAsARunOfMissingReflectorNumbers() {
        CallTrace t = new CallTrace();
        // 10 sent, all reached the reflector; the replies numbered 4 and 5 are lost.
        for (int s = 0; s < 10; s++) {
            if (s != 4 && s != 5) {
                t.accept(answer(s, s, 10, 10));
            }
        }
        CallFigures f = figures(t, 10);
        assertEquals(0, f.up().lost());
        assertEquals(2, f.down().lost());
        assertEquals(2, f.down().longestBurst());
        assertEquals(20.0, f.down().lossPercent(), 1e-9);
    }

    @Test
    void aMixedGapSplitsByTheReflectorsCountAndTheTailCountsUp() {
        CallTrace t = new CallTrace();
        // 0 answered (r 0); 1-4 unanswered, of which two reached the reflector (next r is 3); 5
        // answered; 6-7 sent, never answered: unknown direction, counted up.
        t.accept(answer(0, 0, 10, 10));
        t.accept(answer(5, 3, 10, 10));
        CallFigures f = figures(t, 8);
        assertEquals(2 + 2, f.up().lost(), "two of the gap and the two of the tail");
        assertEquals(2, f.down().lost());
        assertEquals(2, f.down().longestBurst());
        assertEquals(4, f.down().packets(), "two answered and two whose replies were lost");
    }

    @Test
    void jitterIsRfc3550OnEachDirectionsTransitAndIgnoresTheOther() {
        CallTrace t = new CallTrace();
        // Up transits alternate 10 and 14 ms: |D| = 4 ms every packet. Down is steady.
        for (int i = 0; i < 400; i++) {
            t.accept(answer(i, i, i % 2 == 0 ? 10 : 14, 10));
        }
        CallFigures f = figures(t, 400);
        assertEquals(0, f.down().jitterMicros(), 1e-6);
        // J_k = 4 (1 − (15/16)^k); its mean over 399 values is close to 4 ms.
        double sum = 0;
        double j = 0;
        for (int k = 1; k < 400; k++) {
            j += (4 - j) / 16;
            sum += j;
        }
        assertEquals(sum / 399 * 1000, f.up().jitterMicros(), 1e-6);
        assertEquals(4000, f.up().delayVariationMicros(), 1e-6);
        assertEquals(0, f.down().delayVariationMicros(), 1e-6);
    }

    @Test
    void reorderingIsToldApartByDirection() {
        CallTrace up = new CallTrace();
        // Requests 2 and 3 swapped on the way up: the reflector numbers 3 before 2.
        up.accept(answer(0, 0, 10, 10));
        up.accept(answer(1, 1, 10, 10));
        up.accept(answer(3, 2, 10, 10));
        up.accept(answer(2, 3, 10, 10));
        up.accept(answer(4, 4, 10, 10));
        CallFigures f = figures(up, 5);
        assertEquals(1, f.up().reordered());
        assertEquals(0, f.down().reordered());

        CallTrace down = new CallTrace();
        // In order up; replies numbered 2 and 3 arrive swapped.
        down.accept(answer(0, 0, 10, 10));
        down.accept(answer(1, 1, 10, 10));
        down.accept(answer(3, 3, 10, 10));
        down.accept(answer(2, 2, 10, 10));
        down.accept(answer(4, 4, 10, 10));
        CallFigures g = figures(down, 5);
        assertEquals(0, g.up().reordered());
        assertEquals(1, g.down().reordered());
    }

    @Test
    void packetsLaterThanTheJitterBufferCountAgainstTheMosButNotAsNetworkLoss() {
        CallTrace steady = new CallTrace();
        CallTrace spiky = new CallTrace();
        for (int i = 0; i < 1000; i++) {
            steady.accept(answer(i, i, 10, 10));
            // every 20th reply 100 ms late: beyond the 60 ms buffer
            spiky.accept(answer(i, i, 10, i % 20 == 10 ? 110 : 10));
        }
        CallFigures a = figures(steady, 1000);
        CallFigures b = figures(spiky, 1000);
        assertEquals(0, b.down().lost());
        assertEquals(50, b.down().late());
        assertTrue(b.down().mos() < a.down().mos() - 0.3, "5 % late: MOS " + b.down().mos() + " vs " + a.down().mos());
        assertEquals(b.mos(), b.down().mos(), "the call's MOS is its worse direction's");
    }

    @Test
    void aQueueBuildingOverSecondsIsFollowedByTheBufferAndCostsDelayNotPackets() {
        CallTrace ramp = new CallTrace();
        CallTrace steady = new CallTrace();
        for (int i = 0; i < 2000; i++) {
            ramp.accept(answer(i, i, 10, 10 + i * 0.1)); // 12.5 ms more queue each second, 200 ms at the end
            steady.accept(answer(i, i, 10, 10));
        }
        CallFigures f = figures(ramp, 2000);
        assertEquals(0, f.down().late(), "a buffer that follows the queue discards nothing");
        assertTrue(f.down().mos() < figures(steady, 2000).down().mos() - 0.05, "but the delay costs: MOS " + f.down().mos());
        assertEquals(197_900, f.down().delayVariationMicros(), 1, "p99 (rank 1980 of 2000) − min");
    }

    @Test
    void burstyLossHasABurstRatioAboveOne() {
        assertEquals(1.0, CallTrace.burstRatio(1000, 0, 0));
        // 20 losses in 20 runs of 1 among 1000: about random, BurstR near 1
        assertEquals(1.0, CallTrace.burstRatio(1000, 20, 20), 0.05);
        // 20 losses in 2 runs of 10: p = 2/980, q = 2/20 → BurstR = 1/(0.00204 + 0.1) ≈ 9.8
        assertEquals(1 / (2.0 / 980 + 2.0 / 20), CallTrace.burstRatio(1000, 20, 2), 1e-9);
    }

    @Test
    void nothingBackMeansEverythingLostAndNoRtt() {
        CallFigures f = figures(new CallTrace(), 50);
        assertEquals(50, f.up().lost(), "unknown direction counts up");
        assertEquals(0, f.down().packets());
        assertNull(f.rttP50Micros());
        assertTrue(f.mos() < 1.5, "G.107 at 100 % loss: MOS " + f.mos());
    }

    @Test
    void answersToPacketsNeverSentAreIgnored() {
        CallTrace t = new CallTrace();
        for (int i = 0; i < 10; i++) {
            t.accept(answer(i, i, 10, 10));
        }
        t.accept(answer(4_000_000L, 10, 10, 10));
        CallFigures f = figures(t, 10);
        assertEquals(0, f.up().lost() + f.down().lost());
        assertEquals(10, t.answered());
    }
}
