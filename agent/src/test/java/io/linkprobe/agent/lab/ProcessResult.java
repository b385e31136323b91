package io.linkprobe.agent.lab;

import java.time.Duration;
import java.util.List;

/** What a finished (or timed-out and killed) process left behind. */
public record ProcessResult(List<String> command, int exitCode, boolean timedOut, Duration elapsed,
                            String stdout, String stderr) {

    public boolean succeeded() {
        return !timedOut && exitCode == 0;
    }

    /** Returns this when the process exited 0, else fails the test with everything it said. */
    public ProcessResult requireSuccess() {
        if (!succeeded()) {
            throw new AssertionError((timedOut ? "timed out after " + elapsed.toMillis() + " ms" : "exit code " + exitCode)
                    + ": " + String.join(" ", command) + "\n--- stdout\n" + tail(stdout) + "\n--- stderr\n" + tail(stderr));
        }
        return this;
    }

    private static String tail(String text) {
        return text.length() <= 4000 ? text : "…" + text.substring(text.length() - 4000);
    }
}
