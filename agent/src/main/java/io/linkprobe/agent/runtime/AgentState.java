package io.linkprobe.agent.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/**
 * What the agent keeps in its state directory between runs: its agent id (so the collector sees
 * one installation, not a new agent per restart) and the last push sequence it used (so sequences
 * keep increasing across restarts and a new batch is never mistaken for a replay of an old one).
 */
public final class AgentState {
    private final Path dir;
    private final String agentId;
    private long lastSequence;

    private AgentState(Path dir, String agentId, long lastSequence) {
        this.dir = dir;
        this.agentId = agentId;
        this.lastSequence = lastSequence;
    }

    /** Opens (creating if needed) the state in {@code dir}; {@code configuredId} wins over a stored one. */
    public static AgentState open(Path dir, String configuredId) throws IOException {
        Files.createDirectories(dir);
        Path idFile = dir.resolve("agent-id");
        String id = configuredId;
        if (id == null) {
            if (Files.exists(idFile)) {
                id = Files.readString(idFile).trim();
            } else {
                id = UUID.randomUUID().toString();
                writeAtomically(idFile, id);
            }
        }
        Path seqFile = dir.resolve("sequence");
        long last = 0;
        if (Files.exists(seqFile)) {
            try {
                last = Long.parseLong(Files.readString(seqFile).trim());
            } catch (NumberFormatException e) {
                last = 0;
            }
        }
        return new AgentState(dir, id, last);
    }

    public String agentId() {
        return agentId;
    }

    /**
     * The next push sequence: above every one used before, and above the wall clock in
     * milliseconds, which keeps sequences increasing even if the state file was lost (an agent
     * forms far fewer than one batch per millisecond).
     */
    public synchronized long nextSequence() {
        long next = Math.max(lastSequence + 1, System.currentTimeMillis());
        lastSequence = next;
        try {
            writeAtomically(dir.resolve("sequence"), Long.toString(next));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the push sequence in " + dir, e);
        }
        return next;
    }

    private static void writeAtomically(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
