package io.linkprobe.collector.archive;

import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Opening a SQLite archive: the files a crash could have left damaged are checked first (the main
 * file, and the partition files written in the last two days; older ones have not been written
 * since they were closed), a damaged one is moved aside and salvaged ({@link ArchiveRecovery}),
 * and an archive of the single-file layout of earlier versions is moved aside and copied into the
 * partitioned layout the same way. A salvage that a stop interrupted resumes.
 */
final class SqliteArchiveStart {
    /** Partition files modified this recently may have been open for writing when the collector stopped. */
    static final Duration RECENTLY_WRITTEN = Duration.ofHours(48);

    private record Moved(Path file, Path movedTo, String reason, boolean corrupt) {}

    private SqliteArchiveStart() {}

    static JdbcArchive open(Path file, ArchiveRetention retention, Clock clock, Timer transactionTimer)
            throws ArchiveException {
        createDirectory(file.toAbsolutePath().getParent());
        List<Moved> moved = new ArrayList<>();
        Optional<String> corrupt = SqliteFileCheck.corruption(file);
        if (corrupt.isPresent()) {
            moved.add(new Moved(file, SqliteFileCheck.moveAside(file, clock.instant()), corrupt.get(), true));
        } else if (singleFileLayout(file)) {
            moved.add(new Moved(file, SqliteFileCheck.moveAside(file, clock.instant(), "single-file"),
                    "an archive of the single-file layout", false));
        }
        for (Path part : recentlyWritten(file, clock)) {
            Optional<String> damaged = SqliteFileCheck.corruption(part);
            if (damaged.isPresent()) {
                moved.add(new Moved(part, SqliteFileCheck.moveAside(part, clock.instant()), damaged.get(), true));
            }
        }
        JdbcArchive archive = JdbcArchive.open(new SqliteDialect(file), retention, clock, transactionTimer);
        try {
            if (moved.isEmpty()) {
                archive.recovered(-1, ArchiveRecovery.resume(archive.writer(), archive.reader()));
            } else {
                long now = clock.millis();
                List<Salvage> started = new ArrayList<>();
                for (Moved m : moved) {
                    ArchiveRecovery.recover(archive.writer(), m.file(), m.movedTo(), m.reason(), now, retention, m.corrupt())
                            .ifPresent(started::add);
                }
                archive.recovered(moved.stream().anyMatch(Moved::corrupt) ? now : -1, started);
            }
        } catch (ArchiveException | InterruptedException e) {
            archive.close();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                throw new ArchiveException("interrupted while opening the archive " + file, e);
            }
            throw (ArchiveException) e;
        }
        return archive;
    }

    private static void createDirectory(Path dir) throws ArchiveException {
        try {
            if (dir != null) {
                Files.createDirectories(dir);
            }
        } catch (IOException e) {
            String why = e instanceof FileAlreadyExistsException ? "a file, not a directory, has that name"
                    : e instanceof FileSystemException f && f.getReason() != null
                    ? f.getReason() : e.getClass().getSimpleName();
            throw new ArchiveException("cannot create the archive directory " + dir + " (" + why
                    + "); create it or change archive.path", e);
        }
    }

    private static boolean singleFileLayout(Path file) throws ArchiveException {
        if (!Files.exists(file)) {
            return false;
        }
        try {
            return CorruptFileReader.isSingleFileLayout(file);
        } catch (SQLException e) {
            throw new ArchiveException("cannot open the archive " + file + " (" + e.getMessage()
                    + "); check archive.path, its directory's permissions and free space", e);
        }
    }

    private static List<Path> recentlyWritten(Path file, Clock clock) throws ArchiveException {
        Path dir = SqliteDialect.partitionsDir(file);
        List<Path> recent = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return recent;
        }
        long since = clock.millis() - RECENTLY_WRITTEN.toMillis();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.db")) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (Partition.parse(name.substring(0, name.length() - 3)).isPresent()
                        && (Files.getLastModifiedTime(f).toMillis() >= since || modifiedWal(f, since))) {
                    recent.add(f);
                }
            }
        } catch (IOException e) {
            throw new ArchiveException("cannot list the archive's partitions in " + dir + " (" + e.getMessage()
                    + "); check its permissions", e);
        }
        return recent;
    }

    private static boolean modifiedWal(Path f, long since) throws IOException {
        Path wal = f.resolveSibling(f.getFileName() + "-wal");
        return Files.exists(wal) && Files.getLastModifiedTime(wal).toMillis() >= since;
    }
}
