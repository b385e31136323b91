package io.linkprobe.agent.plan;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The last good plan, as the collector sent it, in {@code state_dir/plan.json}: what the agent
 * measures after a restart while the collector cannot be reached. Written whole or not at all: a
 * temporary file is written and synced, then renamed over the old one and the directory synced, so
 * a crash or power cut at any moment leaves the old plan or the new one, never half of either.
 */
final class PlanCache {
    static final String FILE = "plan.json";

    private final Path file;

    PlanCache(Path stateDir) {
        this.file = stateDir.resolve(FILE);
    }

    Path file() {
        return file;
    }

    /** The kept plan's bytes; empty if there is none. */
    Optional<byte[]> read() throws IOException {
        try {
            return Optional.of(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    void write(byte[] json) throws IOException {
        Path tmp = file.resolveSibling(FILE + ".tmp");
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(json);
            while (buf.hasRemaining()) {
                out.write(buf);
            }
            out.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        syncDirectory();
    }

    /** Forgets the kept plan: the collector said it serves this site none. */
    void delete() throws IOException {
        if (Files.deleteIfExists(file)) {
            syncDirectory();
        }
    }

    /** Makes the rename durable (Linux: fsync on the directory). */
    private void syncDirectory() {
        try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // Some file systems and platforms cannot sync a directory; the rename itself is atomic.
        }
    }
}
