package io.linkprobe.collector.reload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/**
 * What identifies one version of a file: modification time, size and file identity (an editor that
 * writes a new file and renames it over the old one changes the identity).
 */
record FileStamp(FileTime modified, long size, Object fileKey) {
    static final FileStamp NONE = new FileStamp(null, -3, null);

    static FileStamp of(Path path) {
        if (path == null) {
            return NONE;
        }
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            return new FileStamp(a.lastModifiedTime(), a.size(), a.fileKey());
        } catch (NoSuchFileException e) {
            return new FileStamp(null, -1, null);
        } catch (IOException e) {
            return new FileStamp(null, -2, e.getMessage());
        }
    }
}
