package io.linkprobe.collector.upgrades;

import io.linkprobe.collector.archive.ArchiveException;
import io.linkprobe.collector.archive.SqlDialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The cut-overs, in the archive database's {@code upgrades} table (created with the archive's
 * schema by the {@link SqlDialect}), so they survive restarts. Writes are rare (one per site and
 * upgrade); the store has one connection of its own, used under its lock.
 */
public final class CutOverStore implements AutoCloseable {
    private final Connection connection;

    public CutOverStore(SqlDialect dialect) throws ArchiveException {
        try {
            connection = dialect.connect(true);
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            throw new ArchiveException("cannot open the upgrades table in " + dialect.describe() + ": "
                    + e.getMessage(), e);
        }
    }

    /** Records {@code cut}; one at the same site and time replaces the earlier record. */
    public synchronized void record(CutOver cut) throws ArchiveException {
        try (PreparedStatement s = connection.prepareStatement("INSERT INTO upgrades"
                + " (site, at_ms, link, down_mbps, up_mbps, source) VALUES (?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (site, at_ms) DO UPDATE SET link = excluded.link, down_mbps = excluded.down_mbps,"
                + " up_mbps = excluded.up_mbps, source = excluded.source")) {
            s.setString(1, cut.site());
            s.setLong(2, cut.atMillis());
            s.setString(3, cut.link());
            s.setDouble(4, cut.downMbps());
            s.setDouble(5, cut.upMbps());
            s.setString(6, cut.source().wireName());
            s.executeUpdate();
        } catch (SQLException e) {
            throw new ArchiveException("recording the cut-over of " + cut.site() + " failed: " + e.getMessage(), e);
        }
    }

    /** Every cut-over, by site and then time. */
    public synchronized List<CutOver> all() throws ArchiveException {
        try (PreparedStatement s = connection.prepareStatement(
                "SELECT site, at_ms, link, down_mbps, up_mbps, source FROM upgrades ORDER BY site, at_ms");
             ResultSet r = s.executeQuery()) {
            List<CutOver> cuts = new ArrayList<>();
            while (r.next()) {
                cuts.add(new CutOver(r.getString(1), r.getLong(2), r.getString(3), r.getDouble(4), r.getDouble(5),
                        CutOver.Source.valueOf(r.getString(6).toUpperCase(Locale.ROOT))));
            }
            return cuts;
        } catch (SQLException e) {
            throw new ArchiveException("reading the cut-overs failed: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // closing: nothing left to do with it
        }
    }
}
