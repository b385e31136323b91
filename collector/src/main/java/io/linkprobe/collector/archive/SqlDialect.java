package io.linkprobe.collector.archive;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;

/**
 * What differs between databases behind {@link JdbcArchive}: how to connect, the DDL, how
 * partitions are made, seen and dropped, and how to tell a full disk or a lost server from other
 * errors. The statements that read and write rows are plain SQL both run ({@code ON CONFLICT},
 * row values, {@code LIMIT}), against the same names: each partition's {@code names}, {@code pushes}
 * (written through {@link #table}), and the views {@code pushes_v} and {@code rollups_v} over all
 * partitions, which SQLite builds per connection over its attached files and PostgreSQL keeps as
 * views over its partitioned tables.
 */
public interface SqlDialect {

    /** A new connection; the writer's is used by one thread only and in manual-commit mode. */
    Connection connect(boolean writer) throws SQLException;

    /** Idempotent DDL of the tables that are not partitioned (and PostgreSQL's partitioned parents), run once at start. */
    List<String> schema();

    /** Where the data is, for messages. */
    String describe();

    /** What to check when the archive cannot be opened, ending a sentence that names the problem. */
    default String openHint() {
        return "check archive.path, its directory's permissions and free space";
    }

    /** The partitions that exist now. */
    Set<Partition> partitions(Connection c) throws SQLException;

    /**
     * Creates {@code p} if it does not exist and makes {@code c} see it. {@code c} is in autocommit
     * mode (SQLite cannot attach a file inside a transaction).
     */
    void create(Connection c, Partition p) throws SQLException;

    /** Drops {@code p} whole: a file deleted, or a table detached and dropped. {@code c} is in autocommit mode. */
    void drop(Connection c, Partition p) throws SQLException;

    /**
     * Makes {@code c} see exactly {@code wanted} of the partitions, where it saw {@code seen} (SQLite
     * attaches and detaches files and rebuilds the connection's views; PostgreSQL has nothing to
     * do). {@code c} is in autocommit mode.
     */
    void show(Connection c, Set<Partition> seen, Set<Partition> wanted) throws SQLException;

    /** The name to write {@code table} rows of {@code p} to: {@code raw_20250131.pushes} or {@code pushes}. */
    String table(Partition p, String table);

    /** The scalar two-argument maximum: SQLite's {@code max}, PostgreSQL's {@code GREATEST}. */
    String greatest();

    /**
     * A statement taking one {@code bigint} that holds the transaction's lock on an idempotency
     * key until it ends, where several collectors may write one database; null where one writer
     * owns the database (SQLite's write lock already serialises transactions).
     */
    default String keyLockSql() {
        return null;
    }

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

    /**
     * Whether retention drops partitions on a connection of its own while the writer carries on
     * (PostgreSQL), rather than as a job of the writer between two transactions (SQLite, whose
     * writer connection must detach the file first).
     */
    default boolean dropsBesideTheWriter() {
        return false;
    }

    /**
     * Whether the writer stores the pushes of a transaction together ({@link WriteStatements#storeAll}:
     * a fixed number of statements, with arrays) rather than one after another under a savepoint
     * each. PostgreSQL, where every statement is a round trip to the server; SQLite runs in-process.
     */
    default boolean storesTogether() {
        return false;
    }

    /** The most partitions of both tiers a connection can see at once (SQLite's attach limit), or 0 for no limit. */
    default int maxPartitions() {
        return 0;
    }
}
