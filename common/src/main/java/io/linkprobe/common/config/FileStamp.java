package io.linkprobe.common.config;

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
public record FileStamp(FileTime modified, long size, Object fileKey) {
    public static final FileStamp NONE = new FileStamp(null, -3, null);

    public static FileStamp of(Path path) {
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
