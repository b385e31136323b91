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
 * Reads an archive file found corrupt, read-only, for what SQLite can still return: its sites,
 * how many batches it listed, and its samples in row order grouped into whole batches
 * ({@link #scan}). Used by the writer thread only, once the salvage has started.
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

    record Key(String agentId, long sequence) {}

    record Row(String site, String target, String type, long endMillis, String json) {}

    /** One push's samples, read whole. */
    static final class Group {
        final Key key;
        final String site;
        final List<Row> rows = new ArrayList<>();
        long lastId;

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
    private PreparedStatement findBatch;

    private CorruptFileReader(Path file, Connection c) {
        this.file = file;
        this.c = c;
    }

    Path file() {
        return file;
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
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA writable_schema = ON");
            s.executeQuery("SELECT count(*) FROM sqlite_schema").close();
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return new CorruptFileReader(moved, c);
    }

    /** The batches of the old archive within retention, or -1 if SQLite cannot count them. */
    long countBatches(long cutoffMillis) {
        try (PreparedStatement q = c.prepareStatement("SELECT count(*) FROM batches WHERE received_ms >= ?")) {
            q.setLong(1, cutoffMillis);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        } catch (SQLException e) {
            return -1;
        }
    }

    /** Reads the sites pushed within retention into {@code into}; null, or why not all could be read. */
    String readSites(long cutoffMillis, List<KnownSite> into) {
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
