package io.linkprobe.demo.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * One {@code java -jar} process this test started (a collector or an agent from its built jar),
 * its output appended to a log file. It is ended only through its own handle: SIGKILL for a crash,
 * SIGTERM for a stop; never by name.
 */
final class JarProcess implements AutoCloseable {
    private final String name;
    private final List<String> command;
    private final Path log;
    private Process process;

    JarProcess(String name, Path jar, List<String> jvmOptions, List<String> args, Path log) {
        this.name = name;
        this.log = log;
        List<String> c = new ArrayList<>();
        c.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        c.addAll(jvmOptions);
        c.add("-jar");
        c.add(jar.toString());
        c.addAll(args);
        this.command = List.copyOf(c);
    }

    void start() throws IOException {
        if (alive()) {
            throw new IllegalStateException(name + " is already running");
        }
        Files.writeString(log, "---- start " + java.time.Instant.now() + "\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL: the process gets no chance to flush, close or ack anything. */
    void kill9() throws InterruptedException {
        if (alive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** SIGTERM, as systemd stops it; SIGKILL if it has not exited after 30 s. Returns the exit code. */
    int terminate() throws InterruptedException {
        if (!alive()) {
            return process == null ? -1 : process.exitValue();
        }
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        return process.exitValue();
    }

    /** Exit code once it has ended by itself within {@code bound}, or null if it still runs. */
    Integer awaitExit(Duration bound) throws InterruptedException {
        return process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
    }

    String log() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    /** Waits until the log holds a line matching {@code pattern}; false after {@code bound}. */
    boolean awaitLog(Pattern pattern, Duration bound) throws IOException, InterruptedException {
        long until = System.nanoTime() + bound.toNanos();
        while (System.nanoTime() < until) {
            if (pattern.matcher(log()).find()) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }

    Path logFile() {
        return log;
    }

    @Override
    public void close() throws InterruptedException {
        kill9();
    }
}
