package io.linkprobe.collector.archive;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * What differs between databases behind {@link JdbcArchive}: how to connect, the schema's DDL, and
 * how to tell a full or failing disk from other errors. The statements themselves are plain SQL
 * that SQLite (3.24+) and PostgreSQL (9.5+) both run ({@code ON CONFLICT ... DO UPDATE}, row
 * values, {@code LIMIT} in subqueries).
 */
public interface SqlDialect {

    /** A new connection; the writer's is used by one thread only and in manual-commit mode. */
    Connection connect(boolean writer) throws SQLException;

    /** Idempotent DDL, run once at start. */
    List<String> schema();

    /** Where the data is, for messages. */
    String describe();

    /**
     * Whether {@code e} means the storage refused the write. By SQLSTATE: class 53 (insufficient
     * resources, e.g. PostgreSQL's 53100 disk_full) and 58030 (io_error).
     */
    default ArchiveWriteException.Kind classify(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null
                    && (s.getSQLState().startsWith("53") || s.getSQLState().equals("58030"))) {
                return ArchiveWriteException.Kind.FULL;
            }
        }
        return ArchiveWriteException.Kind.ERROR;
    }
}
