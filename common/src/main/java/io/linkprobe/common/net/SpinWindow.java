package io.linkprobe.common.net;

import io.netty.channel.SelectStrategy;
import io.netty.util.IntSupplier;

/**
 * The event loops' select strategy, which can poll without sleeping for a short while.
 *
 * <p>Why: an event loop asleep in {@code epoll_wait} needs tens to hundreds of microseconds to
 * wake when a datagram arrives (more when the wake crosses CPUs), and that time lands in every RTT
 * measured in user space, at both ends. On a LAN or an unshaped lab path that is most of the RTT.
 * A STAMP sender that expects a reply soon asks its own loop to keep polling
 * ({@link #spinUntil}) for at most about a millisecond, so the reply is read the moment it arrives;
 * nothing else changes (timers and tasks run as usual). A standalone responder can spin for good
 * ({@code --busy-poll}), burning one core, to take its own wake-up out of the figures too.
 *
 * <p>One instance per event loop; its deadline is only touched from that loop's thread.
 * {@code -Dlinkprobe.nospin=true} turns the windows off, to measure what they are worth.
 */
public final class SpinWindow implements SelectStrategy {
    private static final ThreadLocal<SpinWindow> CURRENT = new ThreadLocal<>();
    private static final boolean NOSPIN = Boolean.getBoolean("linkprobe.nospin");

    private final boolean always;
    private Thread owner;
    private long spinUntilNanos;

    SpinWindow(boolean always) {
        this.always = always;
    }

    @Override
    public int calculateStrategy(IntSupplier selectSupplier, boolean hasTasks) throws Exception {
        if (owner == null) {
            owner = Thread.currentThread();
            CURRENT.set(this);
        }
        if (hasTasks || always || (!NOSPIN && System.nanoTime() - spinUntilNanos < 0)) {
            return selectSupplier.get(); // poll without blocking; the loop comes straight back
        }
        return SelectStrategy.SELECT;
    }

    /**
     * Called on an event loop: poll without sleeping until {@code deadlineNanos}
     * ({@code System.nanoTime} based). Does nothing on other threads.
     */
    public static void spinUntil(long deadlineNanos) {
        SpinWindow w = CURRENT.get();
        if (w != null && deadlineNanos - w.spinUntilNanos > 0) {
            w.spinUntilNanos = deadlineNanos;
        }
    }

    /** Called on an event loop: stop spinning now (the awaited reply came). */
    public static void stop() {
        SpinWindow w = CURRENT.get();
        if (w != null) {
            w.spinUntilNanos = System.nanoTime();
        }
    }
}
