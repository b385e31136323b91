package io.linkprobe.agent.cli;

import io.linkprobe.common.throughput.client.ThroughputListener;
import io.linkprobe.common.throughput.protocol.Direction;
import java.io.Console;
import java.io.PrintStream;

/**
 * The live progress line of {@code test}: rewritten in place on stderr, only when stderr is a
 * terminal and the output is not JSON, so logs, pipes and {@code --json} stay clean.
 */
final class Progress implements ThroughputListener {
    private final boolean enabled;
    private final PrintStream out = System.err;

    Progress(boolean wanted) {
        Console console = System.console();
        this.enabled = wanted && console != null;
    }

    void show(String line) {
        if (enabled) {
            out.print("\r\033[K" + line);
            out.flush();
        }
    }

    void clear() {
        show("");
    }

    @Override
    public void loadStarted(Direction direction) {
        show(name(direction) + ": starting …");
    }

    @Override
    public void interval(Direction direction, int index, long bytes, double bytesPerSecond) {
        show(String.format(java.util.Locale.ROOT, "%s: %5.1f s  %s", name(direction), (index + 1) / 10.0,
                TestReport.rate(bytesPerSecond)));
    }

    @Override
    public void loadEnded(Direction direction) {
        clear();
    }

    @Override
    public void busy(Direction direction, long retryAfterMillis, int queuePosition) {
        clear();
    }

    private static String name(Direction d) {
        return d == Direction.DOWN ? "download" : "upload";
    }
}
