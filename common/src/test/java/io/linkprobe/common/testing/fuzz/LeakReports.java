package io.linkprobe.common.testing.fuzz;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * Netty's own leak detector at PARANOID (every buffer tracked), with its reports turned into
 * failures: it reports a leaked buffer (one collected by the GC while still retained) by logging
 * an error, which this class records. Buffers a target does not allocate itself (Unpooled, a
 * codec's own) are covered here; see {@link TrackingAllocator} for the per-input check.
 */
public final class LeakReports {
    private static final List<String> REPORTS = new CopyOnWriteArrayList<>();
    private static volatile boolean installed;

    private LeakReports() {}

    /** Sets PARANOID and starts recording reports; idempotent. Call from the target's static init. */
    public static synchronized void install() {
        if (installed) {
            return;
        }
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        Logger logger = (Logger) LoggerFactory.getLogger(ResourceLeakDetector.class);
        AppenderBase<ILoggingEvent> recorder = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                if (event.getLevel().isGreaterOrEqual(Level.ERROR)) {
                    REPORTS.add(event.getFormattedMessage());
                }
            }
        };
        recorder.setName("fuzz-leak-reports");
        recorder.setContext(logger.getLoggerContext());
        recorder.start();
        logger.addAppender(recorder);
        installed = true;
    }

    /** Fails if Netty has reported a leak since the last check. Cheap: call after every input. */
    public static void assertNone() {
        if (!REPORTS.isEmpty()) {
            String first = REPORTS.get(0);
            REPORTS.clear();
            throw new AssertionError("Netty reported a leaked buffer: " + first);
        }
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
