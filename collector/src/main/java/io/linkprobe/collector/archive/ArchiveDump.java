package io.linkprobe.collector.archive;

import io.linkprobe.collector.archive.codec.PushCodec;
import io.linkprobe.common.wire.Sample;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Every push in an archive's raw tier, read on a connection of its own (beside a running
 * collector: SQLite's WAL and PostgreSQL's MVCC let it read what is committed). For tests and
 * tools that count what the archive holds per idempotency key; a push is its key and its samples,
 * stored together or not at all.
 */
public final class ArchiveDump {
    /** One stored push. */
    public record Push(String agentId, long sequence, String site, long receivedMillis, List<Sample> samples) {
        /** {@code agent/sequence}. */
        public String key() {
            return agentId + "/" + sequence;
        }
    }

    private ArchiveDump() {}

    /** The pushes of the SQLite archive whose main file is {@code file}, in no particular order. */
    public static List<Push> sqlite(Path file) throws SQLException {
        SqliteDialect dialect = new SqliteDialect(file);
        try (Connection c = dialect.connect(false)) {
            Set<Partition> parts = dialect.partitions(c);
            dialect.show(c, Set.of(), parts);
            return pushes(c);
        }
    }

    /** The pushes of the PostgreSQL archive at {@code url}. */
    public static List<Push> postgres(String url, String password) throws SQLException {
        try (Connection c = new PostgresDialect(url, password).connect(false)) {
            return pushes(c);
        }
    }

    /** Through the {@code pushes_v} view of a connection that has one. */
    static List<Push> pushes(Connection c) throws SQLException {
        List<Push> out = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT agent_id, sequence, site, received_ms, samples, data FROM pushes_v")) {
            while (rs.next()) {
                List<Sample> samples = PushCodec.decode(rs.getBytes(6));
                if (samples.size() != rs.getInt(5)) {
                    throw new SQLException("push " + rs.getString(1) + "/" + rs.getLong(2) + " lists " + rs.getInt(5)
                            + " samples but holds " + samples.size());
                }
                out.add(new Push(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getLong(4), samples));
            }
        }
        return out;
    }
}
