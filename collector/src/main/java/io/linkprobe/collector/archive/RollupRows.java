package io.linkprobe.collector.archive;

import io.linkprobe.collector.archive.codec.RecordLists;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;

/** The {@code rollups} table's columns, and an {@link HourlyRollup} to and from one row. */
final class RollupRows {
    static final String COLUMNS = "site, target, hour_ms, windows, sent, received, lost_forward, lost_backward,"
            + " duplicates, reordered, rtt_min_us, rtt_max_us, rtt_mean_us, jitter_mean_us, jitter_max_us, rtt_sketch,"
            + " connect_attempts, connect_failures, connect_sketch, tests, video";
    private static final int COUNT = 21;
    private static final String TYPES = "site TEXT NOT NULL, target TEXT NOT NULL, hour_ms %1$s NOT NULL,"
            + " windows %1$s NOT NULL, sent %1$s NOT NULL, received %1$s NOT NULL, lost_forward %1$s NOT NULL,"
            + " lost_backward %1$s NOT NULL, duplicates %1$s NOT NULL, reordered %1$s NOT NULL, rtt_min_us %2$s,"
            + " rtt_max_us %2$s, rtt_mean_us %2$s, jitter_mean_us %2$s, jitter_max_us %2$s, rtt_sketch %3$s,"
            + " connect_attempts %1$s NOT NULL, connect_failures %1$s NOT NULL, connect_sketch %3$s, tests %3$s,"
            + " video %3$s";
    static final String COLUMNS_DDL_SQLITE = String.format(TYPES, "INTEGER", "REAL", "BLOB");
    static final String COLUMNS_DDL_POSTGRES = String.format(TYPES, "BIGINT", "DOUBLE PRECISION", "BYTEA");
    /** An empty row of the view, for a connection that has no hourly partition attached. */
    static final String EMPTY_SELECT = "NULL AS site, NULL AS target, 0 AS hour_ms, 0 AS windows, 0 AS sent,"
            + " 0 AS received, 0 AS lost_forward, 0 AS lost_backward, 0 AS duplicates, 0 AS reordered,"
            + " NULL AS rtt_min_us, NULL AS rtt_max_us, NULL AS rtt_mean_us, NULL AS jitter_mean_us,"
            + " NULL AS jitter_max_us, NULL AS rtt_sketch, 0 AS connect_attempts, 0 AS connect_failures,"
            + " NULL AS connect_sketch, NULL AS tests, NULL AS video";

    private RollupRows() {}

    /** INSERT ... ON CONFLICT DO UPDATE into {@code table}: a recomputed hour replaces the old row whole. */
    static String upsert(String table) {
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(table).append(" (").append(COLUMNS)
                .append(") VALUES (").append("?, ".repeat(COUNT - 1)).append("?) ON CONFLICT (site, target, hour_ms)"
                        + " DO UPDATE SET ");
        String[] cols = COLUMNS.split(", ");
        for (int i = 3; i < cols.length; i++) {
            sql.append(i > 3 ? ", " : "").append(cols[i]).append(" = excluded.").append(cols[i]);
        }
        return sql.toString();
    }

    static void bind(PreparedStatement p, HourlyRollup r) throws SQLException {
        HourlyRollup.Latency l = r.latency();
        HourlyRollup.Connect c = r.connect();
        p.setString(1, r.site());
        p.setString(2, r.target());
        p.setLong(3, r.hourMillis());
        p.setLong(4, l == null ? 0 : l.windows());
        p.setLong(5, l == null ? 0 : l.sent());
        p.setLong(6, l == null ? 0 : l.received());
        p.setLong(7, l == null ? 0 : l.lostForward());
        p.setLong(8, l == null ? 0 : l.lostBackward());
        p.setLong(9, l == null ? 0 : l.duplicates());
        p.setLong(10, l == null ? 0 : l.reordered());
        setDouble(p, 11, l == null ? null : l.rttMinMicros());
        setDouble(p, 12, l == null ? null : l.rttMaxMicros());
        setDouble(p, 13, l == null ? null : l.rttMeanMicros());
        setDouble(p, 14, l == null ? null : l.jitterMeanMicros());
        setDouble(p, 15, l == null ? null : l.jitterMaxMicros());
        p.setBytes(16, l == null ? null : RollupSketches.encode(l.rttMicros()));
        p.setLong(17, c == null ? 0 : c.attempts());
        p.setLong(18, c == null ? 0 : c.failures());
        p.setBytes(19, c == null ? null : RollupSketches.encode(c.connectMicros()));
        p.setBytes(20, RecordLists.encode(r.tests()));
        p.setBytes(21, RecordLists.encode(r.video()));
    }

    /** The row at the cursor of a {@code SELECT COLUMNS ...}. */
    static HourlyRollup read(ResultSet rs) throws SQLException {
        return read(rs, 0);
    }

    /** The same, with {@code offset} columns before {@link #COLUMNS}. */
    static HourlyRollup read(ResultSet rs, int offset) throws SQLException {
        long windows = rs.getLong(offset + 4);
        HourlyRollup.Latency latency = windows == 0 ? null : new HourlyRollup.Latency(windows, rs.getLong(offset + 5),
                rs.getLong(offset + 6), rs.getLong(offset + 7), rs.getLong(offset + 8), rs.getLong(offset + 9), rs.getLong(offset + 10), getDouble(rs, offset + 11),
                getDouble(rs, offset + 12), getDouble(rs, offset + 13), getDouble(rs, offset + 14), getDouble(rs, offset + 15),
                RollupSketches.decode(rs.getBytes(offset + 16)));
        long attempts = rs.getLong(offset + 17);
        HourlyRollup.Connect connect = attempts == 0 ? null
                : new HourlyRollup.Connect(attempts, rs.getLong(offset + 18), RollupSketches.decode(rs.getBytes(offset + 19)));
        return new HourlyRollup(rs.getString(offset + 1), rs.getString(offset + 2), rs.getLong(offset + 3), latency, connect,
                RecordLists.decode(rs.getBytes(offset + 20), HourlyRollup.Test.class),
                RecordLists.decode(rs.getBytes(offset + 21), HourlyRollup.Video.class));
    }

    private static void setDouble(PreparedStatement p, int i, Double v) throws SQLException {
        if (v == null) {
            p.setNull(i, Types.DOUBLE);
        } else {
            p.setDouble(i, v);
        }
    }

    private static Double getDouble(ResultSet rs, int i) throws SQLException {
        double v = rs.getDouble(i);
        return rs.wasNull() ? null : v;
    }
}
