package io.linkprobe.common.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JitterBufferTest {
    private static final long MS = 1_000_000;

    @Test
    void anArrivalLaterThanTheBufferAboveTheWindowsQuickestIsDiscarded() {
        // window of 3 arrivals, 60 ms buffer: 70 is 60 above 10 (kept), 75 is 65 above 10 (late);
        // once 10 has left the window the quickest is 70, then 72: 130 is 58 above it (kept), 200 is not.
        long[] t = {10 * MS, 70 * MS, 75 * MS, 72 * MS, 130 * MS, 200 * MS};
        JitterBuffer.Playout p = JitterBuffer.play(t, 3, 60 * MS);
        assertArrayEquals(new boolean[] {false, false, true, false, false, true}, p.late());
        // anchors: 10, 10, 10, 70, 72, 72 → heights above the quickest (10): 0, 0, 0, 60, 62, 62
        assertEquals((60 + 62 + 62) / 6.0, p.meanQueueMillis(), 1e-9);
    }

    @Test
    void nothingArrivedNothingPlayed() {
        JitterBuffer.Playout p = JitterBuffer.play(new long[0], 125, 60 * MS);
        assertEquals(0, p.late().length);
        assertEquals(0, p.meanQueueMillis());
    }
}
