package io.linkprobe.agent.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs commands with their output in files, not pipes: a server nobody reads from would otherwise
 * block on a full pipe, and the files stay behind in target/ to read when a test fails.
 */
final class Processes {

    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static final Duration STOP_GRACE = Duration.ofSeconds(3);

    private Processes() {
    }

    /** Starts a command, stdout and stderr merged into the file {@code log}. */
    static Process start(List<String> command, Path log) {
        try {
            return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** Runs a command to completion; on timeout it is stopped (with its children) and reported so. */
    static ProcessResult run(List<String> command, Duration timeout, Path logDir) {
        Path out = logFile(logDir, command, "out");
        Path err = out.resolveSibling(out.getFileName().toString().replace(".out", ".err"));
        long startNanos = System.nanoTime();
        try {
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) stop(process);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
            return new ProcessResult(command, finished ? process.exitValue() : -1, !finished, elapsed,
                    Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    /** SIGTERM to the process and its descendants, by pid; SIGKILL whatever outlives the grace. */
    static void stop(Process process) {
        List<ProcessHandle> tree = process.descendants().toList();
        tree.forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) process.destroyForcibly().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh file in {@code logDir} named after the program the command runs. */
    static Path logFile(Path logDir, List<String> command, String suffix) {
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String program = command.stream().filter(arg -> !arg.equals("ip") && !arg.equals("netns") && !arg.equals("exec"))
                .skip(1).findFirst().orElse("cmd").replaceAll(".*/", "").replaceAll("[^A-Za-z0-9_.-]", "_");
        return logDir.resolve(String.format("%03d-%s.%s", SEQUENCE.incrementAndGet(), program, suffix));
    }
}
