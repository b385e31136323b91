package io.linkprobe.collector.upgrades;

import io.linkprobe.collector.archive.ArchiveException;
import io.linkprobe.collector.archive.SqlDialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The cut-overs, in the archive database's {@code upgrades} table (SQLite or PostgreSQL: the DDL and
 * statements are plain SQL both run), so they survive restarts and two collectors sharing a
 * PostgreSQL archive see the same ones. Writes are rare (one per site and upgrade) and reads come
 * with a page or API request, so each call takes a connection of its own: a lost PostgreSQL
 * connection fails that one call and the next one connects again.
 */
public final class CutOverStore implements AutoCloseable {
    static final String SCHEMA = "CREATE TABLE IF NOT EXISTS upgrades (site TEXT NOT NULL, at_ms BIGINT NOT NULL,"
            + " link TEXT NOT NULL, down_mbps DOUBLE PRECISION NOT NULL, up_mbps DOUBLE PRECISION NOT NULL,"
            + " source TEXT NOT NULL, PRIMARY KEY (site, at_ms))";

    private final SqlDialect dialect;

    public CutOverStore(SqlDialect dialect) throws ArchiveException {
        this.dialect = dialect;
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(SCHEMA);
        } catch (SQLException e) {
            throw new ArchiveException("cannot open the upgrades table in " + dialect.describe() + ": "
                    + e.getMessage() + "; " + dialect.openHint(), e);
        }
    }

    private Connection connect() throws SQLException {
        Connection c = dialect.connect(true);
        c.setAutoCommit(true);
        return c;
    }

    /** Records {@code cut}; one at the same site and time replaces the earlier record. */
    public synchronized void record(CutOver cut) throws ArchiveException {
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement("INSERT INTO upgrades"
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
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement(
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
    public void close() {
        // nothing held between calls
    }
}
