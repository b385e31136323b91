package io.linkprobe.collector.archive;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.sqlite.SQLiteErrorCode;

/**
 * At start, before the archive is opened for use: can SQLite read the file whole? A file it cannot
 * open as a database, or that fails {@code PRAGMA quick_check} (every page is read once: about the
 * time of reading the file from disk), is corrupt, and is renamed with its {@code -wal} and
 * {@code -shm} to {@code <file>.corrupt-<UTC time>} so that a new archive can be created in its
 * place and the old one read for what can be salvaged ({@link Salvage}).
 *
 * <p>Anything else that stops SQLite from opening the file (permissions, a missing directory, an
 * I/O error) is not corruption: moving the file would not help, so it stays an error at start.
 */
final class SqliteFileCheck {
    private static final int SQLITE_CORRUPT = SQLiteErrorCode.SQLITE_CORRUPT.code;
    private static final int SQLITE_NOTADB = SQLiteErrorCode.SQLITE_NOTADB.code;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private SqliteFileCheck() {}

    /**
     * Empty if {@code file} is absent or sound; otherwise what SQLite said about it, as one line.
     *
     * @throws ArchiveException when SQLite cannot examine the file for a reason other than corruption
     */
    static Optional<String> corruption(Path file) throws ArchiveException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("PRAGMA quick_check(5)")) {
            List<String> problems = new ArrayList<>();
            while (rs.next()) {
                String line = rs.getString(1);
                if (!"ok".equals(line)) {
                    problems.add(line.replace('\n', ' '));
                }
            }
            return problems.isEmpty() ? Optional.empty()
                    : Optional.of("PRAGMA quick_check found: " + String.join("; ", problems));
        } catch (SQLException e) {
            int code = SqliteDialect.primaryCode(e);
            if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB) {
                return Optional.of(String.valueOf(e.getMessage()).replace('\n', ' '));
            }
            throw new ArchiveException("cannot open the archive " + file + " (" + e.getMessage()
                    + "); check archive.path, its directory's permissions and free space", e);
        }
    }

    /**
     * Renames {@code file} and its {@code -wal} and {@code -shm}, where present, to
     * {@code <file>.corrupt-<UTC time>} (and {@code -wal}, {@code -shm}: SQLite finds them there).
     *
     * @return the new name of {@code file}
     */
    static Path moveAside(Path file, Instant now) throws ArchiveException {
        return moveAside(file, now, "corrupt");
    }

    /** The same, to {@code <file>.<why>-<UTC time>}. */
    static Path moveAside(Path file, Instant now, String label) throws ArchiveException {
        Path moved = file.resolveSibling(file.getFileName() + "." + label + "-" + STAMP.format(now));
        try {
            // The main file last: until it has moved, a restart finds the corrupt file again.
            for (String suffix : new String[] {"-wal", "-shm", ""}) {
                Path from = file.resolveSibling(file.getFileName() + suffix);
                if (Files.exists(from)) {
                    Files.move(from, moved.resolveSibling(moved.getFileName() + suffix), StandardCopyOption.ATOMIC_MOVE);
                }
            }
        } catch (IOException e) {
            String why = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.toString();
            throw new ArchiveException("the archive " + file + " must be moved aside (" + label + ") but cannot be moved to " + moved
                    + " (" + why + "); move or delete it by hand, or change archive.path", e);
        }
        return moved;
    }
}
