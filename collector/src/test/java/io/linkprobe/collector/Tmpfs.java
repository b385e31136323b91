package io.linkprobe.collector;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted on a directory of the test's own, so that a test can fill a real
 * filesystem and free it again. Needs root ({@link #unavailableReason} says why not otherwise);
 * unmounted on {@link #close}, also when the test failed.
 */
public final class Tmpfs implements AutoCloseable {
    public final Path dir;

    private Tmpfs(Path dir) {
        this.dir = dir;
    }

    /** Null when a tmpfs can be mounted here, else the reason to print when skipping. */
    public static String unavailableReason() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "mounting a tmpfs needs root (running as " + System.getProperty("user.name") + ")";
        }
        if (!Files.isExecutable(Path.of("/bin/mount")) && !Files.isExecutable(Path.of("/usr/bin/mount"))) {
            return "no mount command";
        }
        return null;
    }

    public static Tmpfs mount(Path dir, long sizeBytes) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        run("mount", "-t", "tmpfs", "-o", "size=" + sizeBytes + ",mode=0700", "tmpfs", dir.toString());
        return new Tmpfs(dir);
    }

    /**
     * Writes zeros to {@code file} until the filesystem refuses (ENOSPC), so nothing is left.
     *
     * @return the bytes written
     */
    public long fill(Path file) throws IOException {
        byte[] block = new byte[4096];
        long written = 0;
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) {
                out.write(block);
                out.flush();
                written += block.length;
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
                throw full;
            }
        }
        return written;
    }

    public long freeBytes() throws IOException {
        return Files.getFileStore(dir).getUsableSpace();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run("umount", "-l", dir.toString());
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out.trim());
        }
    }
}
