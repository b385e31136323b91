package io.linkprobe.agent.push;

import io.linkprobe.common.wire.Json;
import io.linkprobe.common.wire.Sample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable {@link Outbox}: an SQLite file in the state directory. Every result is committed
 * (WAL, {@code synchronous=FULL}) before anything tries to push it, and deleted only when the
 * collector acknowledged its batch, so results survive {@code kill -9} and power loss. A batch's
 * sequence is written to its rows when the batch is formed, so after a crash the same batch goes
 * out again under the same sequence and the collector stores it once.
 *
 * <p>The spool numbers the batches itself: the last sequence used is a meta row, updated in the
 * transaction that forms the batch, so the number and the batch it numbers cannot disagree after
 * a crash. A new sequence is {@code max(last + 1, wall clock in ms)}: increasing across restarts,
 * and still increasing if the spool file is lost (an agent forms far fewer than one batch per ms).
 *
 * <p>Bounded by {@code maxBytes} of sample JSON: when full, the oldest results not yet in a batch
 * are dropped first (then, if one batch alone exceeds the bound, that batch) and counted; the count
 * survives restarts. Late results keep their measurement timestamps: they are in the JSON.
 *
 * <p>A file SQLite cannot open as a database, or that fails {@code PRAGMA quick_check}, is not
 * fatal ({@link SpoolFile}): {@link SpoolRecovery} moves it aside, salvages what it can into a new
 * spool and says so once. Only a path that cannot hold a spool at all (a directory, no permission)
 * fails to open.
 *
 * <pre>
 * samples(id INTEGER PRIMARY KEY AUTOINCREMENT, batch_seq INTEGER NULL, json BLOB, bytes INTEGER)
 * meta(key TEXT PRIMARY KEY, value INTEGER)
 *     -- 'dropped_total', 'last_sequence', 'recovered_total', 'recovered_at' (ms)
 * </pre>
 */
public final class SqliteSpool implements Outbox, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SqliteSpool.class);

    private final Connection db;
    private final long maxBytes;
    private final LongSupplier wallClockMillis;
    private long bytes;
    private long count;
    private long dropped;
    private long recovered;
    private long recoveredAtMillis;
    private long lastSequence;

    private SqliteSpool(Connection db, long maxBytes, long sequenceFloor, LongSupplier wallClockMillis)
            throws SQLException {
        this.db = db;
        this.maxBytes = maxBytes;
        this.wallClockMillis = wallClockMillis;
        try (Statement s = db.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=FULL");
            // SQLite's page cache is 2 MiB per connection by default, filled as a long outage grows
            // the spool and kept: on a small gateway 256 KiB does (the spool is read in order, a
            // batch at a time, and the file's pages stay in the OS page cache anyway).
            s.execute("PRAGMA cache_size=-256");
            s.execute("CREATE TABLE IF NOT EXISTS samples (id INTEGER PRIMARY KEY AUTOINCREMENT, "
                    + "batch_seq INTEGER, json BLOB NOT NULL, bytes INTEGER NOT NULL)");
            s.execute("CREATE INDEX IF NOT EXISTS samples_batch ON samples(batch_seq)");
            s.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)");
            try (ResultSet rs = s.executeQuery("SELECT value FROM meta WHERE key = 'dropped_total'")) {
                dropped = rs.next() ? rs.getLong(1) : 0;
            }
            try (ResultSet rs = s.executeQuery("SELECT value FROM meta WHERE key = 'recovered_total'")) {
                recovered = rs.next() ? rs.getLong(1) : 0;
            }
            try (ResultSet rs = s.executeQuery("SELECT value FROM meta WHERE key = 'recovered_at'")) {
                recoveredAtMillis = rs.next() ? rs.getLong(1) : 0;
            }
            // A spool from before the meta row still numbers its open batch: above that too.
            try (ResultSet rs = s.executeQuery("SELECT MAX(COALESCE((SELECT value FROM meta WHERE key = 'last_sequence'), 0), "
                    + "COALESCE((SELECT MAX(batch_seq) FROM samples), 0))")) {
                rs.next();
                lastSequence = rs.getLong(1);
            }
            if (sequenceFloor > lastSequence) {
                lastSequence = sequenceFloor;
                saveLastSequence();
            }
        }
        recount();
        db.setAutoCommit(false);
    }

    /**
     * Opens (creating if needed) the spool file; the parent directory must exist or be creatable.
     *
     * @param sequenceFloor every batch formed from now on gets a sequence above this (an older
     *     agent's last sequence, kept elsewhere); 0 for none
     */
    public static SqliteSpool open(Path file, long maxBytes, long sequenceFloor) throws IOException {
        return open(file, maxBytes, sequenceFloor, System::currentTimeMillis);
    }

    static SqliteSpool open(Path file, long maxBytes, long sequenceFloor, LongSupplier wallClockMillis)
            throws IOException {
        return SpoolFile.open(file, maxBytes, sequenceFloor, wallClockMillis);
    }

    /** A spool on a new connection to {@code file}, which is sound or new ({@link SpoolFile} checked it). */
    static SqliteSpool connect(Path file, long maxBytes, long sequenceFloor, LongSupplier wallClockMillis)
            throws SQLException {
        Connection db = DriverManager.getConnection("jdbc:sqlite:" + file);
        try {
            return new SqliteSpool(db, maxBytes, sequenceFloor, wallClockMillis);
        } catch (SQLException | RuntimeException e) {
            try {
                db.close();
            } catch (SQLException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /** Results in the spool now, and their bytes of JSON: for the line that says so at start. */
    synchronized String contents() {
        return count + " results (" + bytes + " bytes)";
    }

    synchronized boolean isEmpty() {
        return count == 0;
    }

    /**
     * Takes in what {@link SpoolSalvage} read from a corrupt spool this one replaces: its rows in
     * their order, each formed batch under its own sequence (so a batch the collector already
     * stored is acked as a replay), and its totals, with one more recovery counted.
     */
    synchronized void restore(SpoolSalvage salvage, long recoveredFloor) {
        try {
            try (PreparedStatement ps = db.prepareStatement("INSERT INTO samples (batch_seq, json, bytes) VALUES (?, ?, ?)")) {
                for (SpoolSalvage.Row row : salvage.rows) {
                    ps.setObject(1, row.batchSeq());
                    ps.setBytes(2, row.json());
                    ps.setLong(3, row.json().length);
                    ps.executeUpdate();
                }
            }
            lastSequence = Math.max(lastSequence, Math.max(salvage.lastSequence, salvage.highestBatchSequence()));
            saveLastSequence();
            dropped = Math.max(dropped, salvage.droppedTotal);
            recovered = Math.max(Math.max(recovered, salvage.recoveredTotal) + 1, recoveredFloor);
            recoveredAtMillis = wallClockMillis.getAsLong();
            saveMeta("recovered_total", recovered);
            saveMeta("recovered_at", recoveredAtMillis);
            recount();
            enforceBound();
            saveMeta("dropped_total", dropped);
            db.commit();
        } catch (SQLException e) {
            rollbackQuietly();
            throw new IllegalStateException("cannot write the salvaged results to the new spool: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void add(Sample sample) {
        byte[] json;
        try {
            json = Json.mapper().writeValueAsBytes(sample);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a sample", e);
        }
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO samples (json, bytes) VALUES (?, ?)")) {
            ps.setBytes(1, json);
            ps.setLong(2, json.length);
            ps.executeUpdate();
            bytes += json.length;
            count++;
            enforceBound();
            db.commit();
        } catch (SQLException e) {
            rollbackQuietly();
            throw new IllegalStateException("cannot write to the spool: " + e.getMessage(), e);
        }
        notifyAll();
    }

    /** Drops the oldest unbatched results until under the bound; the open batch goes last. */
    private void enforceBound() throws SQLException {
        if (bytes <= maxBytes) {
            return;
        }
        while (bytes > maxBytes) {
            long id;
            long size;
            try (Statement s = db.createStatement();
                 ResultSet rs = s.executeQuery("SELECT id, bytes FROM samples WHERE batch_seq IS NULL ORDER BY id LIMIT 1")) {
                if (!rs.next()) {
                    break;
                }
                id = rs.getLong(1);
                size = rs.getLong(2);
            }
            delete("DELETE FROM samples WHERE id = ?", id);
            bytes -= size;
            count--;
            dropped++;
        }
        if (bytes > maxBytes) {
            long removed;
            try (Statement s = db.createStatement()) {
                removed = s.executeUpdate("DELETE FROM samples WHERE batch_seq IS NOT NULL");
            }
            dropped += removed;
            recount();
        }
        saveMeta("dropped_total", dropped);
    }

    @Override
    public synchronized Optional<Batch> nextBatch(int maxSamples) {
        try {
            Optional<Batch> open = openBatch();
            if (open.isPresent() || count == 0) {
                return open;
            }
            long previous = lastSequence;
            lastSequence = Math.max(previous + 1, wallClockMillis.getAsLong());
            try {
                try (PreparedStatement ps = db.prepareStatement("UPDATE samples SET batch_seq = ? WHERE id IN "
                        + "(SELECT id FROM samples WHERE batch_seq IS NULL ORDER BY id LIMIT ?)")) {
                    ps.setLong(1, lastSequence);
                    ps.setInt(2, maxSamples);
                    ps.executeUpdate();
                }
                saveLastSequence();
                db.commit();
            } catch (SQLException e) {
                lastSequence = previous;
                throw e;
            }
            return openBatch();
        } catch (SQLException | IOException e) {
            rollbackQuietly();
            throw new IllegalStateException("cannot read the spool: " + e.getMessage(), e);
        }
    }

    private Optional<Batch> openBatch() throws SQLException, IOException {
        try (Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT batch_seq, json FROM samples WHERE batch_seq = "
                     + "(SELECT MIN(batch_seq) FROM samples WHERE batch_seq IS NOT NULL) ORDER BY id")) {
            List<Sample> samples = new ArrayList<>();
            long seq = -1;
            while (rs.next()) {
                seq = rs.getLong(1);
                samples.add(Json.mapper().readValue(rs.getBytes(2), Sample.class));
            }
            return samples.isEmpty() ? Optional.empty() : Optional.of(new Batch(seq, List.copyOf(samples)));
        }
    }

    private void saveLastSequence() throws SQLException {
        saveMeta("last_sequence", lastSequence);
    }

    private void saveMeta(String key, long value) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")) {
            ps.setString(1, key);
            ps.setLong(2, value);
            ps.executeUpdate();
        }
    }

    /** The sequence of the last batch formed, by this process or an earlier one. */
    public synchronized long lastSequence() {
        return lastSequence;
    }

    @Override
    public synchronized void remove(long sequence) {
        try {
            // The batch's own totals (indexed by batch_seq), not a recount of the whole spool: a
            // full spool drains after an outage with one ack per batch.
            long removedBytes;
            long removedCount;
            try (PreparedStatement ps = db.prepareStatement(
                    "SELECT COALESCE(SUM(bytes), 0), COUNT(*) FROM samples WHERE batch_seq = ?")) {
                ps.setLong(1, sequence);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    removedBytes = rs.getLong(1);
                    removedCount = rs.getLong(2);
                }
            }
            delete("DELETE FROM samples WHERE batch_seq = ?", sequence);
            db.commit();
            bytes -= removedBytes;
            count -= removedCount;
        } catch (SQLException e) {
            rollbackQuietly();
            throw new IllegalStateException("cannot delete from the spool: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void shrink(long sequence, int keep) {
        try (PreparedStatement ps = db.prepareStatement("UPDATE samples SET batch_seq = NULL WHERE batch_seq = ? "
                + "AND id NOT IN (SELECT id FROM samples WHERE batch_seq = ? ORDER BY id LIMIT ?)")) {
            ps.setLong(1, sequence);
            ps.setLong(2, sequence);
            ps.setInt(3, keep);
            ps.executeUpdate();
            db.commit();
        } catch (SQLException e) {
            rollbackQuietly();
            throw new IllegalStateException("cannot update the spool: " + e.getMessage(), e);
        }
    }

    private long delete(String sql, long arg) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            ps.setLong(1, arg);
            return ps.executeUpdate();
        }
    }

    private void recount() throws SQLException {
        try (Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT COALESCE(SUM(bytes), 0), COUNT(*) FROM samples")) {
            rs.next();
            bytes = rs.getLong(1);
            count = rs.getLong(2);
        }
    }

    @Override
    public synchronized long pendingSamples() {
        return count;
    }

    @Override
    public synchronized long approximateBytes() {
        return bytes;
    }

    @Override
    public synchronized long droppedTotal() {
        return dropped;
    }

    /** Times a corrupt spool was moved aside and replaced, as far as the old files told. */
    public synchronized long recoveredTotal() {
        return recovered;
    }

    /** When the latest of those recoveries happened (wall clock, ms), or null if never. */
    public synchronized Long recoveredAtMillis() {
        return recoveredAtMillis == 0 ? null : recoveredAtMillis;
    }

    @Override
    public synchronized void awaitSamples(long timeoutMillis) throws InterruptedException {
        if (count == 0) {
            wait(timeoutMillis);
        }
    }

    private void rollbackQuietly() {
        try {
            db.rollback();
        } catch (SQLException e) {
            log.debug("rollback failed", e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException e) {
            log.warn("closing the spool failed: {}", e.getMessage());
        }
    }
}
