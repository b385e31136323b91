package io.linkprobe.common.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.channel.SelectStrategy;
import org.junit.jupiter.api.Test;

/** The select strategy sleeps unless a window is open on its own thread, or it always spins. */
class SpinWindowTest {

    @Test
    void sleepsWhenIdleAndPollsInsideAWindowOpenedOnItsThread() throws Exception {
        SpinWindow w = new SpinWindow(false);
        assertEquals(SelectStrategy.SELECT, w.calculateStrategy(() -> 7, false));
        SpinWindow.spinUntil(System.nanoTime() + 5_000_000_000L);
        assertEquals(7, w.calculateStrategy(() -> 7, false), "inside the window it polls without blocking");
        SpinWindow.stop();
        assertEquals(SelectStrategy.SELECT, w.calculateStrategy(() -> 7, false));
        assertEquals(3, w.calculateStrategy(() -> 3, true), "pending tasks: poll and come back");
    }

    @Test
    void aWindowOpenedOnAnotherThreadDoesNothing() throws Exception {
        SpinWindow w = new SpinWindow(false);
        w.calculateStrategy(() -> 0, false);
        Thread other = new Thread(() -> SpinWindow.spinUntil(System.nanoTime() + 5_000_000_000L));
        other.start();
        other.join();
        assertEquals(SelectStrategy.SELECT, w.calculateStrategy(() -> 7, false));
    }

    @Test
    void busyPollNeverSleeps() throws Exception {
        SpinWindow w = new SpinWindow(true);
        assertEquals(0, w.calculateStrategy(() -> 0, false));
    }
}
