package io.linkprobe.collector.archive;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * What differs between databases behind {@link JdbcArchive}: how to connect and the schema's DDL.
 * The statements themselves are plain SQL that SQLite (3.24+) and PostgreSQL (9.5+) both run
 * ({@code ON CONFLICT ... DO UPDATE}, row values, {@code LIMIT} in subqueries).
 */
public interface SqlDialect {

    /** A new connection; the writer's is used by one thread only and in manual-commit mode. */
    Connection connect(boolean writer) throws SQLException;

    /** Idempotent DDL, run once at start. */
    List<String> schema();

    /** Where the data is, for messages. */
    String describe();
}
