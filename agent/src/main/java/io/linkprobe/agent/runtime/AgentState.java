package io.linkprobe.agent.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the agent keeps in its state directory besides the spool: its agent id, so the collector
 * sees one installation, not a new agent per restart.
 *
 * <p>The push sequence lives in the spool with the batches it numbers. Agents before that kept it
 * in a {@code sequence} file here; {@link #legacySequence()} reads it once so the spool can start
 * above it, and {@link #forgetLegacySequence()} removes it.
 */
public final class AgentState {
    private static final Logger log = LoggerFactory.getLogger(AgentState.class);
    private static final String LEGACY_SEQUENCE_FILE = "sequence";

    private final Path dir;
    private final String agentId;

    private AgentState(Path dir, String agentId) {
        this.dir = dir;
        this.agentId = agentId;
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
        return new AgentState(dir, id);
    }

    public String agentId() {
        return agentId;
    }

    /**
     * The last push sequence an older agent recorded in {@code state_dir/sequence}, or 0 if there
     * is none. An unreadable file counts as none: sequences are also kept above the wall clock in
     * milliseconds, which the old sequences never passed by much.
     */
    public long legacySequence() {
        Path file = dir.resolve(LEGACY_SEQUENCE_FILE);
        try {
            return Long.parseLong(Files.readString(file).trim());
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException | NumberFormatException e) {
            log.warn("Cannot read the old push sequence in {} ({}); continuing above the wall clock", file, e.getMessage());
            return 0;
        }
    }

    /** Removes the old sequence file, once the spool holds a sequence at least as high. */
    public void forgetLegacySequence() {
        Path file = dir.resolve(LEGACY_SEQUENCE_FILE);
        try {
            if (Files.deleteIfExists(file)) {
                log.info("The push sequence moved from {} into the spool", file);
            }
        } catch (IOException e) {
            // Harmless: it is read again at the next start, and the spool is already above it.
            log.warn("Cannot remove the old push sequence file {} ({})", file, e.getMessage());
        }
    }

    private static void writeAtomically(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
