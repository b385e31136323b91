package io.linkprobe.agent.linktest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Which probes make the loaded-RTT percentiles: by send time, the load's first second left out. */
class LoadedWindowTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long WARMUP = LoadedLatencyProbe.LOAD_WARMUP_NANOS;
    private static final long MIN_STEADY = LoadedLatencyProbe.MIN_STEADY_LOAD_NANOS;

    /** A load of {@code millis}, probed every 50 ms; a probe's RTT grows as the queue fills over 1 s, then stays. */
    private static LoadedLatencyProbe.Window load(long millis) {
        LoadedLatencyProbe.Window w = new LoadedLatencyProbe.Window();
        w.open(0);
        for (long t = 0; t < millis; t += 50) {
            long rtt = (40 + Math.min(t, 1_000) / 4) * MS;
            assertTrue(w.covers(t * MS));
            w.add(t * MS, rtt);
        }
        w.close(millis * MS);
        return w;
    }

    @Test
    void theFillingQueueOfTheFirstSecondIsLeftOut() {
        LoadedLatencyProbe.Window w = load(3_000);
        long[] steady = w.sorted(WARMUP, MIN_STEADY);
        assertEquals(40, steady.length, "probes sent from 1 s to 3 s");
        assertEquals(290 * MS, steady[0], "the full queue only");
        assertEquals(60, w.count(), "every reply still counts for loss under load");
        assertEquals(60, w.sorted(0, 0).length);
        assertEquals(40 * MS, w.sorted(0, 0)[0]);
    }

    @Test
    void aLoadShorterThanTwoSecondsKeepsEveryProbe() {
        LoadedLatencyProbe.Window w = load(1_900);
        assertEquals(38, w.sorted(WARMUP, MIN_STEADY).length);
    }

    @Test
    void probesAreFiledBySendTimeAndTheWindowClosesAtTheLoadsEnd() {
        LoadedLatencyProbe.Window w = new LoadedLatencyProbe.Window();
        assertFalse(w.isOpen());
        w.open(100);
        assertTrue(w.isOpen());
        assertFalse(w.covers(99));
        w.close(200);
        assertTrue(w.covers(199), "sent during the load, answered after it: still loaded");
        assertFalse(w.covers(200));
    }

    @Test
    void withNoReplyAfterTheWarmUpTheWholeLoadIsUsed() {
        LoadedLatencyProbe.Window w = new LoadedLatencyProbe.Window();
        w.open(0);
        w.add(100 * MS, 70 * MS);
        w.add(200 * MS, 50 * MS);
        w.close(5_000 * MS);
        assertArrayEquals(new long[] {50 * MS, 70 * MS}, w.sorted(WARMUP, MIN_STEADY));
    }
}
