package io.linkprobe.collector.archive;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * SQLite in WAL mode: readers (history queries) never block the single writer, and
 * {@code synchronous=FULL} makes each commit survive power loss, which is what an ack promises.
 * Group commit pays for the fsync: ~3,000 one-row transactions/s become ~50,000 rows/s.
 */
public final class SqliteDialect implements SqlDialect {
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
                        + " identity TEXT NOT NULL)");
    }

    @Override
    public String describe() {
        return file.toString();
    }
}
