package io.linkprobe.common.cli;

import io.linkprobe.common.config.Durations;
import java.time.Duration;
import picocli.CommandLine;

/**
 * Reads a duration option as the config files write durations ({@code 200ms}, {@code 10s},
 * {@code 5m}, {@code 4h}): one grammar for YAML and the command line. A bare number is refused
 * with the fix, as in config files.
 */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
