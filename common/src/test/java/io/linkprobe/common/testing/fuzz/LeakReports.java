package io.linkprobe.common.testing.fuzz;

import ch.qos.logback.classic.Level;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.DefaultChannelPipeline;
import io.netty.util.ResourceLeakDetector;

/**
 * Netty's own leak detector at PARANOID (every buffer tracked), with its reports turned into
 * failures through {@link LogFindings}; so is Netty's warning that an exception reached the end of
 * a pipeline (no handler took it: a connection left in an unknown state). Buffers a target does not
 * allocate itself (Unpooled, a codec's own, a real server's) are covered here; see
 * {@link TrackingAllocator} for the per-input check.
 */
public final class LeakReports {
    private LeakReports() {}

    /** Sets PARANOID and starts recording reports; idempotent. Call from the target's static init. */
    public static synchronized void install() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        LogFindings.failOn(ResourceLeakDetector.class.getName(), Level.ERROR);
        LogFindings.failOn(DefaultChannelPipeline.class.getName(), Level.WARN);
    }

    /** Fails if Netty has reported something since the last check. Cheap: call after every input. */
    public static void assertNone() {
        LogFindings.assertNone();
    }

    /**
     * Collects garbage and lets the detector look at what was collected (it looks when a buffer is
     * allocated), then {@link #assertNone}. For the end of a run: a GC per input would be too slow.
     */
    public static void collectAndAssertNone() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
            for (int j = 0; j < 16; j++) {
                ByteBuf probe = ByteBufAllocator.DEFAULT.buffer(1);
                probe.release();
            }
        }
        assertNone();
    }
}
