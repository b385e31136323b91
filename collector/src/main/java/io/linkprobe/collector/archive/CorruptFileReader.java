package io.linkprobe.collector.archive;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * Reads an archive file found corrupt (or of the single-file layout before archive tiers),
 * read-only, for what SQLite can still return. What it holds depends on its {@link Kind}: the
 * main file its sites and agents; a raw partition its pushes ({@link #scanPushes}); an hourly one
 * its rollups ({@link #scanRollups}); a single-file archive its sites, agents and samples in row
 * order grouped into whole batches ({@link #scan}). Used by the writer thread only, once the
 * salvage has started.
 *
 * <p>The samples of one push are consecutive rows, so a batch is known whole when the scan has
 * passed beyond it. Where the scan hits an unreadable page it loses the batch it was in, and the
 * next scan jumps forward by growing steps until it reads again, losing the first batch it finds
 * there too (its start may have been on the bad page).
 */
final class CorruptFileReader implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CorruptFileReader.class);
    /** Rows read per scan (then on to the end of the batch): tens of ms of the writer's time. */
    static final int CHUNK_ROWS = 5_000;
    /** Beyond 2^40 rows a jump finds nothing: the rest of the file is unreadable. */
    private static final int MAX_SKIP_EXPONENT = 40;

    /** What the file was. */
    enum Kind {
        /** The single-file layout before archive tiers: batches, samples (JSON), agents, sites. */
        SINGLE_FILE,
        /** The main file of the partitioned layout: sites, agents, recoveries; no results. */
        MAIN,
        /** A raw partition: pushes with their keys. */
        RAW,
        /** An hourly partition: rollups. */
        HOURLY
    }

    record Key(String agentId, long sequence) {}

    /** One push of a raw partition, whole. */
    record PushRow(String agentId, long sequence, String site, long receivedMillis, long firstEndMillis,
            long lastEndMillis, int kinds, int samples, byte[] data) {}

    /** An agent's acked sequence as the old main file had it. */
    record AgentRow(String agentId, String site, long ackedSequence, long lastPushMillis) {}

    /**
     * What one scan of rows found: the rows read, where the next scan starts, and what was lost.
     *
     * @param lost rows known lost (the one an unreadable page cut)
     */
    record Rows<T>(List<T> rows, long nextId, int skipExponent, long lost, long newRegions, boolean finished) {}

    private interface RowMapper<T> {
        /** The row at the cursor (column 1 is its id); null if it cannot be copied (its names unreadable). */
        T map(ResultSet rs) throws SQLException;
    }

    record Row(String site, String target, String type, long endMillis, String json) {}

    /** One push's samples, read whole. */
    static final class Group {
        final Key key;
        final String site;
        final List<Row> rows = new ArrayList<>();
        long lastId;
        /** When the old archive received it, once looked up ({@link #receivedMillis}). */
        long receivedMillis;

        Group(Key key, String site) {
            this.key = key;
            this.site = site;
        }
    }

    /**
     * What one scan found: the batches read whole, where the next scan starts, and what was lost
     * on the way.
     *
     * @param skipExponent consecutive failed reads at {@code nextId} (the next jump is 2^this rows)
     * @param dropFirst the next batch found may have lost its start to a bad page
     */
    record Scan(List<Group> whole, long nextId, int skipExponent, boolean dropFirst, long lost, long newRegions,
            boolean finished) {}

    private final Path file;
    private final Connection c;
    private final Kind kind;
    private PreparedStatement findBatch;

    private CorruptFileReader(Path file, Connection c, Kind kind) {
        this.file = file;
        this.c = c;
        this.kind = kind;
    }

    Path file() {
        return file;
    }

    Kind kind() {
        return kind;
    }

    /**
     * Opens {@code moved} read-only and reads its schema: whether SQLite can read it at all.
     * {@code writable_schema} (harmless on a read-only connection) lets SQLite open a truncated
     * file, which it otherwise refuses whole because the header counts more pages than there are.
     */
    static CorruptFileReader open(Path moved) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(10_000);
        Connection c = config.createConnection("jdbc:sqlite:" + moved);
        java.util.Set<String> tables = new java.util.HashSet<>();
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA writable_schema = ON");
            try (ResultSet rs = s.executeQuery("SELECT name FROM sqlite_schema WHERE type = 'table'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        Kind kind = tables.contains("samples") && tables.contains("batches") ? Kind.SINGLE_FILE
                : tables.contains("pushes") ? Kind.RAW : tables.contains("rollups") ? Kind.HOURLY : Kind.MAIN;
        return new CorruptFileReader(moved, c, kind);
    }

    /** Whether {@code file} is a sound archive of the single-file layout (it has a samples table). */
    static boolean isSingleFileLayout(Path file) throws SQLException {
        try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
                ResultSet rs = c.createStatement().executeQuery(
                        "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN ('samples', 'batches')")) {
            return rs.next() && rs.getInt(1) == 2;
        }
    }

    /**
     * What there is to copy within retention (batches, pushes or rollups), or -1 if SQLite cannot
     * count them; 0 for a main file, which holds no results.
     */
    long countBatches(long cutoffMillis) {
        String sql = switch (kind) {
            case SINGLE_FILE -> "SELECT count(*) FROM batches WHERE received_ms >= ?";
            case RAW -> "SELECT count(*) FROM pushes WHERE received_ms >= ?";
            case HOURLY -> "SELECT count(*) FROM rollups WHERE hour_ms >= ?";
            case MAIN -> null;
        };
        if (sql == null) {
            return 0;
        }
        try (PreparedStatement q = c.prepareStatement(sql)) {
            q.setLong(1, cutoffMillis);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        } catch (SQLException e) {
            return -1;
        }
    }

    /** Reads the agents' acked sequences into {@code into}; null, or why not all could be read. */
    String readAgents(List<AgentRow> into) {
        if (kind != Kind.MAIN && kind != Kind.SINGLE_FILE) {
            return null;
        }
        try (PreparedStatement q = c.prepareStatement("SELECT agent_id, site, acked_sequence, last_push_ms FROM agents");
                ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                into.add(new AgentRow(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)));
            }
            return null;
        } catch (SQLException e) {
            return String.valueOf(e.getMessage()).replace('\n', ' ');
        }
    }

    /** Reads the sites pushed within retention into {@code into}; null, or why not all could be read. */
    String readSites(long cutoffMillis, List<KnownSite> into) {
        if (kind != Kind.MAIN && kind != Kind.SINGLE_FILE) {
            return null;
        }
        try (PreparedStatement q = c.prepareStatement(
                "SELECT site, last_push_ms, identity FROM sites WHERE last_push_ms >= ?")) {
            q.setLong(1, cutoffMillis);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    into.add(new KnownSite(rs.getString(1), rs.getLong(2), rs.getString(3)));
                }
            }
            return null;
        } catch (SQLException e) {
            return String.valueOf(e.getMessage()).replace('\n', ' ');
        }
    }

    /**
     * Reads from after row {@code fromId} in row order until {@link #CHUNK_ROWS} rows and the end
     * of the batch then being read, the end of the table, or an unreadable page. The other two
     * arguments are where the previous scan left them.
     */
    Scan scan(long fromId, int skipExponent, boolean dropFirst) {
        List<Group> whole = new ArrayList<>();
        Group current = null;
        long lastRead = fromId;
        long lastWholeId = fromId;
        long rowsRead = 0;
        boolean atEnd = false;
        SQLException unreadable = null;
        try (PreparedStatement q = c.prepareStatement("SELECT id, site, agent_id, sequence, target, type, end_ms,"
                + " json FROM samples WHERE id > ? ORDER BY id")) {
            q.setLong(1, fromId);
            try (ResultSet rs = q.executeQuery()) {
                while (true) {
                    if (!rs.next()) {
                        atEnd = true;
                        break;
                    }
                    long id = rs.getLong(1);
                    if (id <= lastRead) {
                        // Rows out of order: the scan is reading a damaged b-tree page as if it were sound.
                        throw new SQLException("samples row " + id + " after row " + lastRead + ": out of order");
                    }
                    Key key = new Key(rs.getString(3), rs.getLong(4));
                    if (current == null || !current.key.equals(key)) {
                        if (current != null) {
                            whole.add(current);
                            lastWholeId = current.lastId;
                            current = null;
                            if (rowsRead >= CHUNK_ROWS) {
                                break;
                            }
                        }
                        current = new Group(key, rs.getString(2));
                    }
                    current.rows.add(new Row(rs.getString(2), rs.getString(5), rs.getString(6), rs.getLong(7),
                            rs.getString(8)));
                    current.lastId = id;
                    lastRead = id;
                    rowsRead++;
                }
            }
        } catch (SQLException e) {
            unreadable = e;
        }
        long lost = 0;
        if (atEnd && current != null) {
            whole.add(current);
            lastWholeId = current.lastId;
            current = null;
        }
        if (dropFirst && !whole.isEmpty()) {
            whole.remove(0); // it may have begun on the bad page before the point the scan jumped to
            lost++;
        }
        if (unreadable == null) {
            return new Scan(whole, lastWholeId, 0, false, lost, 0, atEnd);
        }
        log.debug("archive salvage: {} unreadable after row {}: {}", file, lastRead, unreadable.toString());
        if (current != null) {
            lost++; // the batch the bad page cut
        }
        // A new bad region begins once a whole batch was read since the last one; until then the
        // jumps keep growing, so that even a file unreadable every few rows is crossed in ~40 reads.
        boolean newRegion = !whole.isEmpty() || skipExponent == 0;
        int skip = whole.isEmpty() ? skipExponent : 0;
        if (skip >= MAX_SKIP_EXPONENT) {
            return new Scan(whole, lastRead, skip, true, lost, newRegion ? 1 : 0, true);
        }
        return new Scan(whole, lastRead + (1L << skip), skip + 1, true, lost, newRegion ? 1 : 0, false);
    }


    /** Up to {@link #CHUNK_ROWS} pushes of a raw partition after row {@code fromId}, each whole. */
    Rows<PushRow> scanPushes(long fromId, int skipExponent) {
        return scanRows("SELECT p.id, a.name, p.sequence, s.name, p.received_ms, p.first_end_ms, p.last_end_ms, p.kinds,"
                + " p.samples, p.data FROM pushes p LEFT JOIN names a ON a.no = p.agent LEFT JOIN names s ON s.no = p.site"
                + " WHERE p.id > ? ORDER BY p.id", rs -> rs.getString(2) == null || rs.getString(4) == null ? null
                        : new PushRow(rs.getString(2), rs.getLong(3), rs.getString(4), rs.getLong(5), rs.getLong(6),
                                rs.getLong(7), rs.getInt(8), rs.getInt(9), rs.getBytes(10)), fromId, skipExponent);
    }

    /** Up to {@link #CHUNK_ROWS} rollups of an hourly partition after row {@code fromId}. */
    Rows<HourlyRollup> scanRollups(long fromId, int skipExponent) {
        return scanRows("SELECT id, " + RollupRows.COLUMNS + " FROM rollups WHERE id > ? ORDER BY id", rs -> {
            try {
                return RollupRows.read(rs, 1);
            } catch (RuntimeException e) {
                return null; // a sketch or test list that does not decode
            }
        }, fromId, skipExponent);
    }

    /**
     * Reads rows of a rowid table in row order from after {@code fromId}, as {@link #scan} does
     * for samples but one row at a time: a row is copied whole or not at all.
     */
    private <T> Rows<T> scanRows(String sql, RowMapper<T> mapper, long fromId, int skipExponent) {
        List<T> rows = new ArrayList<>();
        long lastRead = fromId;
        long uncopyable = 0;
        boolean atEnd = false;
        SQLException unreadable = null;
        try (PreparedStatement q = c.prepareStatement(sql)) {
            q.setLong(1, fromId);
            try (ResultSet rs = q.executeQuery()) {
                while (rows.size() < CHUNK_ROWS) {
                    if (!rs.next()) {
                        atEnd = true;
                        break;
                    }
                    long id = rs.getLong(1);
                    if (id <= lastRead) {
                        throw new SQLException("row " + id + " after row " + lastRead + ": out of order");
                    }
                    T row = mapper.map(rs);
                    lastRead = id;
                    if (row == null) {
                        uncopyable++;
                    } else {
                        rows.add(row);
                    }
                }
            }
        } catch (SQLException e) {
            unreadable = e;
        }
        if (unreadable == null) {
            return new Rows<>(rows, lastRead, 0, uncopyable, 0, atEnd);
        }
        log.debug("archive salvage: {} unreadable after row {}: {}", file, lastRead, unreadable.toString());
        boolean newRegion = !rows.isEmpty() || skipExponent == 0;
        int skip = rows.isEmpty() ? skipExponent : 0;
        if (skip >= MAX_SKIP_EXPONENT) {
            return new Rows<>(rows, lastRead, skip, uncopyable + 1, newRegion ? 1 : 0, true);
        }
        return new Rows<>(rows, lastRead + (1L << skip), skip + 1, uncopyable + 1, newRegion ? 1 : 0, false);
    }

    /** When the old archive received the batch; if its key row is unreadable, its newest result's end. */
    long receivedMillis(Group g) {
        try {
            if (findBatch == null) {
                findBatch = c.prepareStatement("SELECT site, received_ms FROM batches WHERE agent_id = ? AND sequence = ?");
            }
            findBatch.setString(1, g.key.agentId());
            findBatch.setLong(2, g.key.sequence());
            try (ResultSet rs = findBatch.executeQuery()) {
                if (rs.next()) {
                    return rs.getLong(2);
                }
            }
        } catch (SQLException e) {
            log.debug("archive salvage: key {} unreadable in {}: {}", g.key, file, e.toString());
        }
        return g.rows.stream().mapToLong(Row::endMillis).max().orElse(0);
    }

    @Override
    public synchronized void close() {
        try {
            c.close();
        } catch (SQLException e) {
            log.debug("closing {}: {}", file, e.toString());
        }
    }
}
