package io.linkprobe.common.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * Logging of both binaries, set up in code (no logback.xml: reading XML loads logback's
 * configuration framework and the JDK's XML parser, a few MiB that stay loaded on a small gateway).
 * Lines go to stderr, so that {@code test --json} keeps stdout one JSON document, in the layout of
 * {@link LogLine}. {@code --log.level} and {@code --log.format} ({@link LogOptions}) re-apply it at
 * start; until then the default is info and logfmt.
 *
 * <p>A logback configuration named with {@code -Dlogback.configurationFile=...}, or a
 * {@code logback-test.xml} on the class path (the tests'), still wins: this configurator then steps
 * aside, and so does {@link #apply}.
 */
public final class LogSetup extends ContextAwareBase implements Configurator {
    /** How lines are written. */
    public enum Format { LOGFMT, JSON }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (overridden()) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        install(context, Level.INFO, Format.LOGFMT);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Re-applies level and format to the running logger context (from the command line). */
    public static void apply(String level, Format format) {
        if (overridden() || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        context.reset();
        install(context, Level.toLevel(level.toUpperCase(Locale.ROOT), Level.INFO), format);
    }

    private static boolean overridden() {
        return System.getProperty("logback.configurationFile") != null
                || LogSetup.class.getClassLoader().getResource("logback-test.xml") != null;
    }

    private static void install(LoggerContext context, Level level, Format format) {
        LogLine layout = format == Format.JSON ? new LogLine.Json() : new LogLine.Logfmt();
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("stderr");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(stderr);
        // linkprobe's own lines at the chosen level; libraries (Netty, the JDBC driver) only warn,
        // unless debug or trace was asked for.
        root.setLevel(level.isGreaterOrEqual(Level.INFO) ? Level.toLevel(Math.max(level.toInt(), Level.WARN_INT)) : level);
        context.getLogger("io.linkprobe").setLevel(level);
    }
}
