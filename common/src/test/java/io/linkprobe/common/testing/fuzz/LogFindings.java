package io.linkprobe.common.testing.fuzz;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * Log lines that are findings: Netty reports a leaked buffer, or an exception that reached the end
 * of a pipeline, only by logging it; a collector endpoint that fails answers 500 and logs an error.
 * Lines at or above the level given for a logger (and its children) are recorded and fail the next
 * {@link #assertNone}.
 */
public final class LogFindings {
    private static final List<String> FOUND = new CopyOnWriteArrayList<>();

    private LogFindings() {}

    /** Records lines of {@code level} or worse from {@code loggerName} and the loggers below it. */
    public static synchronized void failOn(String loggerName, Level level) {
        Logger logger = (Logger) LoggerFactory.getLogger(loggerName);
        String name = "fuzz-findings-" + loggerName;
        if (logger.getAppender(name) != null) {
            return;
        }
        AppenderBase<ILoggingEvent> recorder = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                if (event.getLevel().isGreaterOrEqual(level)) {
                    IThrowableProxy thrown = event.getThrowableProxy();
                    FOUND.add(event.getLoggerName() + ": " + event.getFormattedMessage()
                            + (thrown == null ? "" : " (" + thrown.getClassName() + ": " + thrown.getMessage() + ")"));
                }
            }
        };
        recorder.setName(name);
        recorder.setContext(logger.getLoggerContext());
        recorder.start();
        logger.addAppender(recorder);
        if (!level.isGreaterOrEqual(logger.getEffectiveLevel())) {
            logger.setLevel(level); // the lines that are findings must reach the recorder
        }
    }

    /** Fails with the first line recorded since the last call, and forgets them all. */
    public static void assertNone() {
        if (!FOUND.isEmpty()) {
            String first = FOUND.get(0);
            int more = FOUND.size() - 1;
            FOUND.clear();
            throw new AssertionError(first + (more > 0 ? " (and " + more + " more)" : ""));
        }
    }
}
