package io.linkprobe.agent.push;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The site's bearer token, read from {@code collector.token_file}: what pushes carry and what the
 * throughput tests are signed with. Read again when the collector refuses it (401/403), so that a
 * token rotated in the file is used without restarting the agent. A re-read that finds the file
 * missing, unreadable or not one token on one line keeps the token in use and says why, once per
 * distinct problem.
 */
public final class AgentToken implements Supplier<String> {
    private static final Logger log = LoggerFactory.getLogger(AgentToken.class);

    private final Path file;
    private volatile String current;
    private String lastProblem;

    /** @param file null for a token given directly (the demo, tests): then it is never re-read */
    public AgentToken(Path file, String initial) {
        this.file = file;
        this.current = initial;
    }

    public static AgentToken fixed(String token) {
        return new AgentToken(null, token);
    }

    @Override
    public String get() {
        return current;
    }

    /** Reads the file again; true when it now holds a different valid token, which is then in use. */
    public synchronized boolean reload() {
        if (file == null) {
            return false;
        }
        String read;
        try {
            read = Files.readString(file).trim();
        } catch (IOException e) {
            problem("cannot be read (" + e.getMessage() + ")");
            return false;
        }
        if (read.isEmpty() || read.contains("\n") || read.contains(" ")) {
            problem("does not hold exactly one token on one line");
            return false;
        }
        lastProblem = null;
        if (read.equals(current)) {
            return false;
        }
        current = read;
        log.info("The token file {} holds a new token; pushing with it from now on", file);
        return true;
    }

    private void problem(String what) {
        if (!what.equals(lastProblem)) {
            log.warn("The token file {} {}; keeping the token read before", file, what);
            lastProblem = what;
        }
    }

    /** The file, for messages; null for a fixed token. */
    public Path file() {
        return file;
    }
}
