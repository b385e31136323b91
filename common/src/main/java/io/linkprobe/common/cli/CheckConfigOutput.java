package io.linkprobe.common.cli;

import java.nio.file.Path;

/**
 * The one shape of {@code check-config} output on both binaries: on success one line on stdout,
 * {@code <file>: ok (<what it configures>)}, exit 0; on failure {@code error: <file>:<line>:<column>: ...}
 * on stderr and exit 2 (printed by {@link ExitCodes} from the {@code ConfigException}).
 */
public final class CheckConfigOutput {
    private CheckConfigOutput() {}

    public static String ok(Path config, String summary) {
        return config + ": ok (" + summary + ")";
    }
}
