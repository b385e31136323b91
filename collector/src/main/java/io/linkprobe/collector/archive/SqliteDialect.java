package io.linkprobe.collector.archive;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * SQLite in WAL mode: readers (history queries) never block the single writer, and
 * {@code synchronous=FULL} makes each commit survive power loss, which is what an ack promises.
 * Group commit pays for the fsync: ~3,000 one-row transactions/s become ~50,000 rows/s.
 */
public final class SqliteDialect implements SqlDialect {
    private static final int SQLITE_IOERR = SQLiteErrorCode.SQLITE_IOERR.code;
    private static final int SQLITE_FULL = SQLiteErrorCode.SQLITE_FULL.code;

    private final Path file;

    public SqliteDialect(Path file) {
        this.file = file;
    }

    @Override
    public Connection connect(boolean writer) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = 10000");
            s.execute("PRAGMA journal_mode = WAL");
            s.execute("PRAGMA synchronous = FULL");
            if (!writer) {
                s.execute("PRAGMA query_only = 1");
            }
        }
        return c;
    }

    @Override
    public List<String> schema() {
        return List.of(
                // The idempotency keys. WITHOUT ROWID: the key is the table.
                "CREATE TABLE IF NOT EXISTS batches (agent_id TEXT NOT NULL, sequence INTEGER NOT NULL,"
                        + " site TEXT NOT NULL, received_ms INTEGER NOT NULL, PRIMARY KEY (agent_id, sequence))"
                        + " WITHOUT ROWID",
                "CREATE INDEX IF NOT EXISTS batches_received ON batches (received_ms)",
                "CREATE TABLE IF NOT EXISTS samples (id INTEGER PRIMARY KEY, site TEXT NOT NULL,"
                        + " agent_id TEXT NOT NULL, sequence INTEGER NOT NULL, target TEXT, type TEXT NOT NULL,"
                        + " end_ms INTEGER NOT NULL, json TEXT NOT NULL)",
                "CREATE INDEX IF NOT EXISTS samples_site_end ON samples (site, end_ms)",
                "CREATE INDEX IF NOT EXISTS samples_end ON samples (end_ms)",
                // Highest acked sequence per agent: what a restarted agent's spool resumes from.
                "CREATE TABLE IF NOT EXISTS agents (agent_id TEXT PRIMARY KEY, site TEXT NOT NULL,"
                        + " acked_sequence INTEGER NOT NULL, last_push_ms INTEGER NOT NULL)",
                "CREATE TABLE IF NOT EXISTS sites (site TEXT PRIMARY KEY, last_push_ms INTEGER NOT NULL,"
                        + " identity TEXT NOT NULL)",
                // One row the writer rewrites to find out whether the disk takes writes again.
                "CREATE TABLE IF NOT EXISTS writer_probe (id INTEGER PRIMARY KEY CHECK (id = 1),"
                        + " written_ms INTEGER NOT NULL)",
                Recoveries.SCHEMA);
    }

    @Override
    public String describe() {
        return file.toString();
    }

    /**
     * SQLITE_FULL, and the SQLITE_IOERR family: on a full filesystem SQLite reports either (a WAL
     * write gets SQLITE_FULL, growing the shared-memory file SQLITE_IOERR_SHMSIZE).
     */
    @Override
    public ArchiveWriteException.Kind classify(SQLException e) {
        int code = primaryCode(e);
        return code == SQLITE_FULL || code == SQLITE_IOERR
                ? ArchiveWriteException.Kind.FULL : ArchiveWriteException.Kind.ERROR;
    }

    /** SQLite's primary result code of the first {@link SQLiteException} in the causes, or -1. */
    static int primaryCode(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLiteException s && s.getResultCode() != null) {
                return s.getResultCode().code & 0xff;
            }
        }
        return -1;
    }
}
