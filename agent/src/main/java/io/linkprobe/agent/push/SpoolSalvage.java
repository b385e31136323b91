package io.linkprobe.agent.push;

import io.linkprobe.common.wire.Json;
import io.linkprobe.common.wire.Plausibility;
import io.linkprobe.common.wire.Sample;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.sqlite.SQLiteConfig;

/**
 * What can still be read from a spool file that failed its integrity check, read-only and best
 * effort: never throws. Rows are read in id order; where a page cannot be read, the ids it held
 * are skipped by searching for the first id past it that can be (the table is a b-tree on id, so
 * a damaged leaf costs only its own rows). A row is kept only if its JSON decodes to a sample that
 * is {@link Plausibility plausible}: a flipped bit must not make the collector refuse the batch it
 * goes out in. The meta values (last sequence, drop and recovery totals) are read where they can be.
 */
final class SpoolSalvage {
    /** Rows read per query while nothing fails. */
    private static final int CHUNK = 256;

    /** One readable row: {@code batchSeq} null when it was not yet in a batch. */
    record Row(long id, Long batchSeq, byte[] json) {}

    final List<Row> rows = new ArrayList<>();
    /** Rows that were read but did not decode to a plausible sample. */
    int undecodable;
    /** Id ranges {@code [from, to]} that could not be read. */
    final List<long[]> skipped = new ArrayList<>();
    /** The highest id the file says it issued, or -1 if unknown. */
    long lastIssuedId = -1;
    long lastSequence;
    long droppedTotal;
    long recoveredTotal;
    /** Why nothing at all could be read, or null. */
    String unreadable;

    private SpoolSalvage() {}

    static SpoolSalvage read(Path file) {
        SpoolSalvage s = new SpoolSalvage();
        SQLiteConfig ro = new SQLiteConfig();
        ro.setReadOnly(true);
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file, ro.toProperties())) {
            try (Statement st = db.createStatement()) {
                // A truncated file is shorter than its header says; SQLite refuses it whole unless
                // told to trust the file's real size, which this pragma does (nothing is written).
                st.execute("PRAGMA writable_schema = ON");
            }
            s.readMeta(db);
            s.readRows(db);
        } catch (SQLException e) {
            s.unreadable = e.getMessage();
        }
        return s;
    }

    private void readMeta(Connection db) {
        lastSequence = metaValue(db, "last_sequence");
        droppedTotal = metaValue(db, "dropped_total");
        recoveredTotal = metaValue(db, "recovered_total");
        try (Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT seq FROM sqlite_sequence WHERE name = 'samples'")) {
            lastIssuedId = rs.next() ? rs.getLong(1) : -1;
        } catch (SQLException e) {
            lastIssuedId = -1;
        }
    }

    private static long metaValue(Connection db, String key) {
        try (PreparedStatement ps = db.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (SQLException e) {
            return 0;
        }
    }

    private void readRows(Connection db) throws SQLException {
        long after = 0;
        long ceiling = Math.max(lastIssuedId, maxId(db));
        boolean readAny = false;
        while (true) {
            long last;
            try {
                last = readChunk(db, after);
            } catch (SQLException e) {
                if (!readAny && ceiling <= 0 && !readable(db, 0)) {
                    throw e; // not one row, and nothing to search towards: the table is gone
                }
                long resume = firstReadableAfter(db, after, ceiling);
                if (resume < 0) {
                    skipped.add(new long[] {after + 1, Math.max(after + 1, ceiling)});
                    break;
                }
                skipped.add(new long[] {after + 1, resume});
                after = resume;
                continue;
            }
            if (last < 0) {
                break;
            }
            readAny = true;
            after = last;
        }
    }

    /**
     * Reads up to {@value #CHUNK} rows after id {@code after}, keeping the plausible ones; returns
     * the last id read, or -1 if there was none. Rows read before a failure are kept; the failure
     * is thrown only if none was.
     */
    private long readChunk(Connection db, long after) throws SQLException {
        List<Row> chunk = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement(
                "SELECT id, batch_seq, json FROM samples WHERE id > ? ORDER BY id LIMIT " + CHUNK)) {
            ps.setLong(1, after);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    long seq = rs.getLong(2);
                    Long batchSeq = rs.wasNull() ? null : seq;
                    chunk.add(new Row(id, batchSeq, rs.getBytes(3)));
                }
            }
        } catch (SQLException e) {
            if (chunk.isEmpty()) {
                throw e;
            }
        }
        keep(chunk);
        return chunk.isEmpty() ? -1 : chunk.get(chunk.size() - 1).id();
    }

    private void keep(List<Row> chunk) {
        long now = System.currentTimeMillis();
        for (Row r : chunk) {
            if (plausible(r.json(), now)) {
                rows.add(r);
            } else {
                undecodable++;
            }
        }
    }

    private static boolean plausible(byte[] json, long now) {
        try {
            Sample s = Json.mapper().readValue(json, Sample.class);
            return s != null && Plausibility.check(s, Plausibility.TimeRange.agent(now)) == null;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * The smallest id {@code r > after} such that reading from {@code r} onwards works, or -1.
     * Reading after an id inside a damaged page fails, after one past it works, so the first
     * working start is found by doubling the step, then halving back.
     */
    private long firstReadableAfter(Connection db, long after, long ceiling) {
        long step = 1;
        long good = -1;
        // Without a known highest id, search a million ids on: 20 probes, each one b-tree descent.
        long limit = Math.max(ceiling + 1, after + (1 << 20));
        while (after + step <= limit) {
            if (readable(db, after + step)) {
                good = after + step;
                break;
            }
            step *= 2;
        }
        if (good < 0) {
            return -1;
        }
        long bad = after + step / 2;
        while (good - bad > 1) {
            long mid = bad + (good - bad) / 2;
            if (readable(db, mid)) {
                good = mid;
            } else {
                bad = mid;
            }
        }
        return good;
    }

    private static boolean readable(Connection db, long after) {
        try (PreparedStatement ps = db.prepareStatement("SELECT id, batch_seq, json FROM samples WHERE id > ? ORDER BY id LIMIT 1")) {
            ps.setLong(1, after);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    rs.getBytes(3);
                }
                return true;
            }
        } catch (SQLException e) {
            return false;
        }
    }

    private static long maxId(Connection db) {
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("SELECT MAX(id) FROM samples")) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            return -1;
        }
    }

    /** Rows kept in formed batches, and how many batches they are. */
    long batchedRows() {
        return rows.stream().filter(r -> r.batchSeq() != null).count();
    }

    long batches() {
        return rows.stream().map(Row::batchSeq).filter(java.util.Objects::nonNull).distinct().count();
    }

    long highestBatchSequence() {
        return rows.stream().map(Row::batchSeq).filter(java.util.Objects::nonNull).mapToLong(Long::longValue).max().orElse(0);
    }

    /** Upper bound of the rows on unreadable pages (the ids skipped). */
    long skippedIds() {
        return skipped.stream().mapToLong(r -> r[1] - r[0] + 1).sum();
    }
}
