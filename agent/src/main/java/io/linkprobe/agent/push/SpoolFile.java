package io.linkprobe.agent.push;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * Opening the spool file: a sound or new file opens as it is; one that SQLite cannot read as a
 * database, or that fails {@code PRAGMA quick_check}, goes to {@link SpoolRecovery}; a path that
 * cannot hold a spool at all (a directory, no permission) is an {@link IOException} naming it,
 * which the agent reports as a configuration error (exit 2).
 */
final class SpoolFile {
    private static final Logger log = LoggerFactory.getLogger(SpoolFile.class);

    private SpoolFile() {}

    static SqliteSpool open(Path file, long maxBytes, long sequenceFloor, LongSupplier wallClockMillis)
            throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (Files.isDirectory(file)) {
            throw new IOException("the spool " + file + " is a directory, not a file");
        }
        String corruption;
        try {
            SqliteSpool spool = openChecked(file, maxBytes, sequenceFloor, wallClockMillis);
            if (!spool.isEmpty()) {
                log.info("Spool {} holds {} from before; they will be pushed first", file, spool.contents());
            }
            return spool;
        } catch (CorruptSpoolException e) {
            corruption = e.getMessage();
        } catch (SQLException e) {
            throw new IOException("cannot open the spool " + file + ": " + e.getMessage(), e);
        }
        return SpoolRecovery.recover(file, corruption, maxBytes, sequenceFloor, wallClockMillis);
    }

    /**
     * Opens {@code file} if it is a sound SQLite database (or does not exist yet).
     *
     * @throws CorruptSpoolException if SQLite cannot read it as a database or its quick check fails
     * @throws SQLException if it cannot be opened for another reason (permissions, locked)
     */
    static SqliteSpool openChecked(Path file, long maxBytes, long sequenceFloor, LongSupplier wallClockMillis)
            throws SQLException, CorruptSpoolException {
        if (Files.exists(file)) {
            check(file);
        }
        try {
            return SqliteSpool.connect(file, maxBytes, sequenceFloor, wallClockMillis);
        } catch (SQLException e) {
            if (isCorruption(e)) {
                throw new CorruptSpoolException(e.getMessage());
            }
            throw e;
        }
    }

    /**
     * {@code PRAGMA quick_check} on a read-only connection: unlike a writing one, closing it neither
     * checkpoints a WAL into a damaged file nor deletes the {@code -wal} and {@code -shm} that are to
     * be moved aside with it. Errors other than corruption are left to the writing open to report.
     */
    private static void check(Path file) throws CorruptSpoolException {
        SQLiteConfig readOnly = new SQLiteConfig();
        readOnly.setReadOnly(true);
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file, readOnly.toProperties());
             Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("PRAGMA quick_check")) {
            String first = rs.next() ? rs.getString(1) : "no answer";
            if (!"ok".equals(first)) {
                throw new CorruptSpoolException("integrity check failed: " + first.replace('\n', ' '));
            }
        } catch (SQLException e) {
            if (isCorruption(e)) {
                throw new CorruptSpoolException(e.getMessage());
            }
        }
    }

    /** SQLITE_CORRUPT (11) or SQLITE_NOTADB (26), extended codes included. */
    static boolean isCorruption(SQLException e) {
        int primary = e.getErrorCode() & 0xFF;
        String m = String.valueOf(e.getMessage());
        return primary == 11 || primary == 26 || m.contains("SQLITE_CORRUPT") || m.contains("SQLITE_NOTADB");
    }


}
