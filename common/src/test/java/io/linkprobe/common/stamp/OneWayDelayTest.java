package io.linkprobe.common.stamp;

import static io.linkprobe.common.stamp.SessionDriver.MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.linkprobe.common.stats.Rfc3550Jitter;
import io.linkprobe.common.wire.LatencyWindow;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** One-way delays are reported only when both clocks say they are synchronised, and well enough. */
class OneWayDelayTest {
    static final long T1 = NtpTimestamp.fromEpoch(1_700_000_000L, 0);
    static final int SYNC_10US = ErrorEstimate.encode(true, Duration.ofNanos(10_000));
    static final int UNSYNC_10US = ErrorEstimate.encode(false, Duration.ofNanos(10_000));
    static final int SYNC_1MS = ErrorEstimate.encode(true, Duration.ofMillis(1));

    @Test
    void bothClocksSynchronisedGiveForwardAndBackwardDelays() {
        LatencyWindow w = oneExchange(true, SYNC_10US, SYNC_10US);
        assertEquals(1_000.0, w.forwardDelayMicrosP50(), 0.01);  // T2 - T1 = 1 ms
        assertEquals(1_500.0, w.backwardDelayMicrosP50(), 0.01); // T4 - T3 = 1.5 ms
    }

    @Test
    void anUnsynchronisedEndGivesNone() {
        assertNull(oneExchange(false, SYNC_10US, SYNC_10US).forwardDelayMicrosP50());
        assertNull(oneExchange(true, SYNC_10US, UNSYNC_10US).forwardDelayMicrosP50());
    }

    @Test
    void errorsAsLargeAsATenthOfTheRttGiveNone() {
        // RTT 2.75 ms; 1 ms + 10 µs of stated error is more than 0.275 ms
        assertNull(oneExchange(true, SYNC_1MS, SYNC_10US).forwardDelayMicrosP50());
    }

    private static LatencyWindow oneExchange(boolean senderSynchronized, int senderError, int reflectorError) {
        SenderSession s = new SenderSession(100 * MS, 16, 0);
        long sentAt = 5_000 * MS;
        s.sent(sentAt, 44);
        long t2 = T1 + ntp(1 * MS);
        long t3 = t2 + ntp(250_000); // 0.25 ms turnaround, taken out of the RTT
        long t4 = t3 + ntp(1_500_000);
        ReflectorPacket reply = new ReflectorPacket(0, t3, reflectorError, 1, t2, 0, T1, senderError, 0, 44);
        s.replied(reply, sentAt + 3 * MS, t4, senderSynchronized, senderError);
        LatencyWindow w = s.swapWindow(1).build("t", 1, new Rfc3550Jitter());
        assertEquals(2_750, w.rttMicros()[0]);
        return w;
    }

    private static long ntp(long nanos) {
        return (nanos << 32) / 1_000_000_000L;
    }
}
