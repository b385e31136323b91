package io.linkprobe.common.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Both formats carry the same keys on one line; the flags refuse what they cannot read. */
class LogLineTest {
    private static LoggingEvent event(String message, Throwable t) {
        LoggerContext context = new LoggerContext();
        LoggingEvent e = new LoggingEvent("x", context.getLogger("io.linkprobe.collector.Collector"), Level.WARN,
                message, t, new Object[0]);
        e.setTimeStamp(1_764_866_450_466L);
        return e;
    }

    @Test
    void logfmtQuotesWhatNeedsItAndKeepsOneEventOnOneLine() {
        String line = new LogLine.Logfmt().doLayout(event("push refused: \"bad\" token=x\nsecond line", new IllegalStateException("boom")));
        assertTrue(line.startsWith("ts=2025-12-04T16:40:50.466Z level=warn logger=Collector msg=\"push refused: \\\"bad\\\" token=x\\nsecond line\" "
                + "err=\"java.lang.IllegalStateException: boom\" stack=\""), line);
        assertEquals(1, line.lines().count(), line);
        assertEquals("ts=2025-12-04T16:40:50.466Z level=warn logger=Collector msg=plain\n",
                new LogLine.Logfmt().doLayout(event("plain", null)));
    }

    @Test
    void jsonHasTheSameKeys() throws Exception {
        String line = new LogLine.Json().doLayout(event("hello \"world\"", null));
        assertEquals(1, line.lines().count());
        JsonNode j = new ObjectMapper().readTree(line);
        assertEquals("2025-12-04T16:40:50.466Z", j.get("ts").asText());
        assertEquals("warn", j.get("level").asText());
        assertEquals("Collector", j.get("logger").asText());
        assertEquals("hello \"world\"", j.get("msg").asText());
    }

    @CommandLine.Command(name = "x")
    static final class Cmd implements Runnable {
        @CommandLine.Mixin
        LogOptions log;

        @Override
        public void run() {}
    }

    @Test
    void flagsRefuseUnknownLevelsAndFormatsWithTheFix() {
        java.io.StringWriter err = new java.io.StringWriter();
        CommandLine cl = new CommandLine(new Cmd()).setErr(new java.io.PrintWriter(err));
        assertEquals(2, cl.execute("--log.level", "loud"));
        assertTrue(err.toString().contains("'loud' is not a log level; write error, warn, info, debug or trace"), err.toString());
        assertEquals(2, cl.execute("--log.format", "xml"));
        assertTrue(err.toString().contains("'xml' is not a log format; write logfmt or json"), err.toString());
        assertEquals(0, cl.execute("--log.level", "debug", "--log.format", "json"));
    }
}
