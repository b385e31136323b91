package io.linkprobe.collector.archive;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection for reading, kept in step with the partitions that exist ({@link SqlDialect#show})
 * and opened again after a failure: after a PostgreSQL restart the next read reconnects. Callers
 * hold its monitor for the whole of a read ({@code synchronized (rc)}): a JDBC connection is used
 * by one thread at a time.
 */
final class ReadConnection implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReadConnection.class);

    private final SqlDialect dialect;
    private final Partitions partitions;
    private final Set<Partition> seen = new TreeSet<>();
    private long seenVersion = -1;
    private Connection connection;

    ReadConnection(SqlDialect dialect, Partitions partitions) {
        this.dialect = dialect;
        this.partitions = partitions;
    }

    /** The connection, opened or brought up to date with the partitions as needed. */
    synchronized Connection get() throws SQLException {
        if (connection == null) {
            connection = dialect.connect(false);
            seen.clear();
            seenVersion = -1;
        }
        long version = partitions.version();
        if (version != seenVersion) {
            Set<Partition> wanted = partitions.all();
            try {
                dialect.show(connection, seen, wanted);
            } catch (SQLException e) {
                broken();
                throw e;
            }
            seen.clear();
            seen.addAll(wanted);
            seenVersion = version;
        }
        return connection;
    }

    /** After a failed read: the next {@link #get} starts from a new connection. */
    synchronized void broken() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                log.debug("closing a broken read connection: {}", e.toString());
            }
            connection = null;
        }
    }

    @Override
    public synchronized void close() {
        broken();
    }
}
