package io.linkprobe.common.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * One log line, the same keys on both binaries and in both formats, as Prometheus' own
 * components log ({@code ts=... level=info msg=...}):
 *
 * <pre>
 * ts=2026-12-04T17:30:50.466Z level=info logger=Collector msg="linkprobe collector listening on ..."
 * {"ts":"2026-12-04T17:30:50.466Z","level":"info","logger":"Collector","msg":"linkprobe collector listening on ..."}
 * </pre>
 *
 * A throwable adds {@code err} (its one-line summary) and {@code stack} (the trace, escaped onto
 * the same line, so that one event stays one line for journald and log shippers).
 */
public abstract sealed class LogLine extends LayoutBase<ILoggingEvent> permits LogLine.Logfmt, LogLine.Json {
    private static final DateTimeFormatter TS = DateTimeFormatter.ISO_INSTANT;

    static String level(Level level) {
        return level.toString().toLowerCase(Locale.ROOT);
    }

    static String ts(ILoggingEvent e) {
        return TS.format(Instant.ofEpochMilli(e.getTimeStamp()));
    }

    static String logger(ILoggingEvent e) {
        String name = e.getLoggerName();
        return name.substring(name.lastIndexOf('.') + 1);
    }

    /** {@code key=value}, the value quoted when it holds a space, a quote, '=' or a control character. */
    public static final class Logfmt extends LogLine {
        @Override
        public String doLayout(ILoggingEvent e) {
            StringBuilder b = new StringBuilder(160);
            pair(b, "ts", ts(e));
            pair(b, "level", level(e.getLevel()));
            pair(b, "logger", logger(e));
            pair(b, "msg", e.getFormattedMessage());
            IThrowableProxy t = e.getThrowableProxy();
            if (t != null) {
                pair(b, "err", t.getClassName() + ": " + t.getMessage());
                pair(b, "stack", ThrowableProxyUtil.asString(t));
            }
            return b.append('\n').toString();
        }

        private static void pair(StringBuilder b, String key, String value) {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(key).append('=');
            String v = value == null ? "" : value;
            boolean quote = v.isEmpty() || v.chars().anyMatch(c -> c <= ' ' || c == '"' || c == '=' || c == '\\');
            if (!quote) {
                b.append(v);
                return;
            }
            b.append('"');
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                switch (c) {
                    case '"' -> b.append("\\\"");
                    case '\\' -> b.append("\\\\");
                    case '\n' -> b.append("\\n");
                    case '\r' -> b.append("\\r");
                    case '\t' -> b.append("\\t");
                    default -> b.append(c < ' ' ? ' ' : c);
                }
            }
            b.append('"');
        }
    }

    /** One JSON object per line, written by Jackson (so every value is escaped as JSON wants). */
    public static final class Json extends LogLine {
        private static final JsonFactory JSON = new JsonFactory();

        @Override
        public String doLayout(ILoggingEvent e) {
            StringWriter out = new StringWriter(200);
            try (JsonGenerator g = JSON.createGenerator(out)) {
                g.writeStartObject();
                g.writeStringField("ts", ts(e));
                g.writeStringField("level", level(e.getLevel()));
                g.writeStringField("logger", logger(e));
                g.writeStringField("msg", e.getFormattedMessage());
                IThrowableProxy t = e.getThrowableProxy();
                if (t != null) {
                    g.writeStringField("err", t.getClassName() + ": " + t.getMessage());
                    g.writeStringField("stack", ThrowableProxyUtil.asString(t));
                }
                g.writeEndObject();
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            return out.append('\n').toString();
        }
    }
}
