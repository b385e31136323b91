package io.linkprobe.collector.auth;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

/**
 * Changes to a tokens file that a running collector may read at any moment: appends in one write,
 * removals by writing a new file beside it and renaming it over the old one, so the collector reads
 * either the old file or the new one, never half of either.
 */
public final class TokensFileEdit {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private TokensFileEdit() {}

    /** Appends {@code lines} in one write; creates the file, mode 600, if missing. */
    public static void append(Path file, List<String> lines) throws IOException {
        if (!Files.exists(file)) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        StringBuilder add = new StringBuilder(text.isEmpty() || text.endsWith("\n") ? "" : "\n");
        lines.forEach(l -> add.append(l).append('\n'));
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(StandardCharsets.UTF_8.encode(add.toString()));
            ch.force(true);
        }
    }

    /** The collector runs as its own user: the new file must stay readable to it, as the old one was. */
    private static void sameOwnerAndGroup(Path from, Path to) throws IOException {
        PosixFileAttributes was = Files.readAttributes(from, PosixFileAttributes.class);
        PosixFileAttributeView now = Files.getFileAttributeView(to, PosixFileAttributeView.class);
        PosixFileAttributes is = now.readAttributes();
        if (!is.owner().equals(was.owner())) {
            now.setOwner(was.owner());
        }
        if (!is.group().equals(was.group())) {
            now.setGroup(was.group());
        }
    }

    /**
     * Replaces the file's content atomically, keeping its permissions, owner and group.
     *
     * @param lines the new content, line by line
     */
    public static void replace(Path file, List<String> lines) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        Path temp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".new",
                PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                StringBuilder text = new StringBuilder();
                lines.forEach(l -> text.append(l).append('\n'));
                ch.write(StandardCharsets.UTF_8.encode(text.toString()));
                ch.force(true);
            }
            Files.setPosixFilePermissions(temp, perms);
            sameOwnerAndGroup(file, temp);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
