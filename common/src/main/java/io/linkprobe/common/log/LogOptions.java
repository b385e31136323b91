package io.linkprobe.common.log;

import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --log.level} and {@code --log.format}, the same on every command of both binaries (the
 * spelling of Prometheus' own flags). Picocli calls the setters while parsing, defaults included,
 * so the logging is set before the command runs.
 */
public final class LogOptions {
    private String level = "info";
    private LogSetup.Format format = LogSetup.Format.LOGFMT;

    @Option(names = "--log.level", defaultValue = "info", paramLabel = "LEVEL",
            description = "error, warn, info, debug or trace (default ${DEFAULT-VALUE})")
    void level(String value) {
        String v = value.toLowerCase(Locale.ROOT);
        if (!v.matches("error|warn|info|debug|trace")) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a log level; write error, warn, info, debug or trace");
        }
        level = v;
        LogSetup.apply(level, format);
    }

    @Option(names = "--log.format", defaultValue = "logfmt", paramLabel = "FORMAT",
            description = "logfmt or json, one line per event on stderr (default ${DEFAULT-VALUE})")
    void format(String value) {
        try {
            format = LogSetup.Format.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a log format; write logfmt or json");
        }
        LogSetup.apply(level, format);
    }
}
