package io.linkprobe.collector.archive;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code recoveries} table: one row per archive file found corrupt at start and moved aside,
 * with when, why, and how far the {@link Salvage} of it has got. It outlives restarts, so that the
 * time of the last recovery stays visible ({@code linkprobe_collector_archive_last_recovery_timestamp_seconds})
 * and an interrupted salvage resumes.
 */
final class Recoveries {
    static final String SCHEMA = "CREATE TABLE IF NOT EXISTS recoveries (moved_to TEXT PRIMARY KEY,"
            + " recovered_ms INTEGER NOT NULL, reason TEXT NOT NULL, cutoff_ms INTEGER NOT NULL,"
            + " listed_batches INTEGER NOT NULL, sites INTEGER NOT NULL, next_id INTEGER NOT NULL DEFAULT 0,"
            + " skip_exponent INTEGER NOT NULL DEFAULT 0, drop_first INTEGER NOT NULL DEFAULT 0,"
            + " batches INTEGER NOT NULL DEFAULT 0, samples INTEGER NOT NULL DEFAULT 0,"
            + " already_stored INTEGER NOT NULL DEFAULT 0, expired INTEGER NOT NULL DEFAULT 0,"
            + " lost_batches INTEGER NOT NULL DEFAULT 0, unreadable_regions INTEGER NOT NULL DEFAULT 0,"
            + " finished INTEGER NOT NULL DEFAULT 0)";

    /** A salvage not finished when the collector stopped. */
    record Unfinished(Path movedTo, long cutoffMillis, long listedBatches, long sites, Salvage.State state) {}

    private Recoveries() {}

    /** @param finished true when there is nothing to copy (SQLite cannot read the moved file) */
    static void insert(Connection c, Path movedTo, long recoveredMillis, String reason, long cutoffMillis,
            long listedBatches, long sites, boolean finished) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO recoveries (moved_to, recovered_ms, reason,"
                + " cutoff_ms, listed_batches, sites, finished) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            p.setString(1, movedTo.toString());
            p.setLong(2, recoveredMillis);
            p.setString(3, reason);
            p.setLong(4, cutoffMillis);
            p.setLong(5, listedBatches);
            p.setLong(6, sites);
            p.setInt(7, finished ? 1 : 0);
            p.executeUpdate();
        }
    }

    static void update(Connection c, Path movedTo, Salvage.State s) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE recoveries SET next_id = ?, skip_exponent = ?,"
                + " drop_first = ?, batches = ?, samples = ?, already_stored = ?, expired = ?, lost_batches = ?,"
                + " unreadable_regions = ?, finished = ? WHERE moved_to = ?")) {
            p.setLong(1, s.nextId());
            p.setInt(2, s.skipExponent());
            p.setInt(3, s.dropFirst() ? 1 : 0);
            p.setLong(4, s.batches());
            p.setLong(5, s.samples());
            p.setLong(6, s.alreadyStored());
            p.setLong(7, s.expired());
            p.setLong(8, s.lostBatches());
            p.setLong(9, s.unreadableRegions());
            p.setInt(10, s.finished() ? 1 : 0);
            p.setString(11, movedTo.toString());
            p.executeUpdate();
        }
    }

    static List<Unfinished> unfinished(Connection c) throws SQLException {
        List<Unfinished> rows = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT moved_to, cutoff_ms, listed_batches, sites, next_id, skip_exponent,"
                        + " drop_first, batches, samples, already_stored, expired, lost_batches, unreadable_regions"
                        + " FROM recoveries WHERE finished = 0")) {
            while (rs.next()) {
                rows.add(new Unfinished(Path.of(rs.getString(1)), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                        new Salvage.State(rs.getLong(5), rs.getInt(6), rs.getInt(7) != 0, rs.getLong(8), rs.getLong(9),
                                rs.getLong(10), rs.getLong(11), rs.getLong(12), rs.getLong(13), false)));
            }
        }
        return rows;
    }

    /** When the last recovery happened (epoch ms), or -1. */
    static long lastRecoveryMillis(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT max(recovered_ms) FROM recoveries")) {
            if (rs.next()) {
                long last = rs.getLong(1);
                return rs.wasNull() ? -1 : last;
            }
            return -1;
        }
    }

    static void abandon(Connection c, Path movedTo) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE recoveries SET finished = 1 WHERE moved_to = ?")) {
            p.setString(1, movedTo.toString());
            p.executeUpdate();
        }
    }
}
