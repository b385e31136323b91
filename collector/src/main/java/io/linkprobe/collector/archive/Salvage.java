package io.linkprobe.collector.archive;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * Copies what SQLite can still read of an archive found corrupt at start (moved aside by
 * {@link SqliteFileCheck}) into the new archive, a chunk at a time through the archive's writer
 * so that pushes carry on meanwhile, with its progress in the new archive's {@code recoveries}
 * table (committed with each chunk: a restart resumes where it stopped).
 *
 * <p>Results are copied a whole batch at a time, with their idempotency key: never a key without
 * its samples (a replay of that batch would be answered "duplicate" while its results are not
 * here) nor samples without their key (a replay would store them twice). The samples of one push
 * are consecutive rows, so a batch is known whole when the scan, in row order, has passed beyond
 * it. Where the scan hits an unreadable page it loses the batch it was in, jumps forward by
 * growing steps until it reads again, and loses the first batch it finds there too (its start may
 * have been on the bad page). A batch whose key is already in the new archive (its agent replayed
 * it meanwhile) is left as stored.
 */
final class Salvage implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Salvage.class);
    /** Rows read per chunk (then on to the end of the batch): tens of ms of the writer's time. */
    static final int CHUNK_ROWS = 5_000;
    /** How long to wait before retrying a chunk the new archive could not commit (disk full, say). */
    private static final long RETRY_MILLIS = 5_000;
    /** Chunks failing for a reason other than a full disk, in a row, before the salvage stops. */
    private static final int MAX_ERRORS = 10;
    /** Beyond 2^40 rows a jump finds nothing: the rest of the file is unreadable. */
    private static final int MAX_SKIP_EXPONENT = 40;

    /**
     * Where the scan is, and what it has done so far; one row of {@code recoveries}.
     *
     * @param nextId the scan continues after this row id of the old {@code samples}
     * @param skipExponent consecutive failed reads at this point (the next jump is 2^this rows)
     * @param dropFirst the next batch found may have lost its start to a bad page
     */
    record State(long nextId, int skipExponent, boolean dropFirst, long batches, long samples, long alreadyStored,
            long expired, long lostBatches, long unreadableRegions, boolean finished) {
        static final State START = new State(0, 0, false, 0, 0, 0, 0, 0, 0, false);
    }

    private record Key(String agentId, long sequence) {}

    private record Row(String site, String target, String type, long endMillis, String json) {}

    private static final class Group {
        final Key key;
        final String site;
        final List<Row> rows = new ArrayList<>();
        long lastId;

        Group(Key key, String site) {
            this.key = key;
            this.site = site;
        }
    }

    private final GroupCommitWriter writer;
    private final Path moved;
    private final long cutoffMillis;
    private final long listedBatches;
    private final long sitesKept;
    private final Connection old;
    private final Thread thread;
    private volatile State state;

    private Salvage(GroupCommitWriter writer, Path moved, long cutoffMillis, long listedBatches, long sitesKept,
            Connection old, State state) {
        this.writer = writer;
        this.moved = moved;
        this.cutoffMillis = cutoffMillis;
        this.listedBatches = listedBatches;
        this.sitesKept = sitesKept;
        this.old = old;
        this.state = state;
        this.thread = new Thread(this::run, "archive-salvage");
        thread.setDaemon(true);
    }

    /**
     * Opens {@code moved} read-only and reads its schema: whether SQLite can read it at all.
     * {@code writable_schema} (harmless on a read-only connection) lets SQLite open a truncated
     * file, which it otherwise refuses whole because the header counts more pages than there are.
     */
    static Connection openReadOnly(Path moved) throws SQLException {
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
        return c;
    }

    /**
     * Starts the copy from {@code moved}, whose sites (within retention) have been restored
     * already; {@code state} is where an earlier run stopped.
     */
    static Salvage start(GroupCommitWriter writer, Path moved, Connection old, long cutoffMillis, long listedBatches,
            long sitesKept, State state) {
        Salvage s = new Salvage(writer, moved, cutoffMillis, listedBatches, sitesKept, old, state);
        s.thread.start();
        return s;
    }

    /** The batches of the old archive within retention, or -1 if SQLite cannot count them. */
    static long countBatches(Connection old, long cutoffMillis) {
        try (PreparedStatement q = old.prepareStatement("SELECT count(*) FROM batches WHERE received_ms >= ?")) {
            q.setLong(1, cutoffMillis);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        } catch (SQLException e) {
            return -1;
        }
    }

    State state() {
        return state;
    }

    private void run() {
        boolean done = false;
        int errors = 0;
        try {
            while (!state.finished()) {
                ChunkJob job = new ChunkJob(state);
                writer.put(job);
                try {
                    state = job.result.get();
                    errors = 0;
                } catch (ExecutionException e) {
                    if (Thread.currentThread().isInterrupted()) {
                        return;
                    }
                    boolean full = e.getCause() instanceof ArchiveWriteException w
                            && w.kind() == ArchiveWriteException.Kind.FULL;
                    if (!full && ++errors >= MAX_ERRORS) {
                        log.error("archive salvage from {} stopped after {} failed chunks ({}); {} batches were copied,"
                                + " a restart tries the rest again", moved, errors, e.getCause().getMessage(), state.batches());
                        return;
                    }
                    log.warn("archive salvage from {}: a chunk was not stored ({}); retried in {} s", moved,
                            e.getCause().getMessage(), RETRY_MILLIS / 1000);
                    Thread.sleep(RETRY_MILLIS);
                }
            }
            log.warn("archive salvage from {} finished: kept {} sites and {} batches with {} results{}{}; lost: {}."
                    + " The moved file is no longer needed by the collector", moved, sitesKept, state.batches(),
                    state.samples(), state.alreadyStored() > 0 ? " (" + state.alreadyStored()
                            + " more batches had been pushed again meanwhile)" : "",
                    state.expired() > 0 ? " (" + state.expired() + " batches past retention skipped)" : "",
                    lost());
            done = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (done) {
                closeFile();
            }
        }
    }

    private String lost() {
        State s = state;
        String regions = s.unreadableRegions() == 0 ? "every row of samples was readable"
                : s.unreadableRegions() + " unreadable regions of samples cost " + s.lostBatches()
                        + " batches that were only partly readable, and the batches wholly inside them";
        if (s.unreadableRegions() == 0 && listedBatches >= 0 && s.batches() + s.alreadyStored() >= listedBatches) {
            return "nothing";
        }
        if (listedBatches < 0) {
            return regions + "; the old batches table could not be counted, so how many is unknown";
        }
        long missing = Math.max(0, listedBatches - s.batches() - s.alreadyStored());
        return missing + " of the " + listedBatches + " batches the old archive listed within retention (" + regions + ")";
    }

    /**
     * Stops queuing chunks (the archive is closing; a restart resumes from the last committed
     * one). At most one chunk may still be queued: close the writer, then {@link #close}.
     */
    void stop() {
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Closes the old file; only once no chunk can be running. */
    @Override
    public void close() {
        closeFile();
    }

    private synchronized void closeFile() {
        try {
            old.close();
        } catch (SQLException e) {
            log.debug("closing {}: {}", moved, e.toString());
        }
    }

    /**
     * What one read of the old samples found: the batches read whole, where the next read starts,
     * and what was lost on the way.
     */
    private record Scan(List<Group> whole, long nextId, int skipExponent, boolean dropFirst, long lost, long newRegions,
            boolean finished) {}

    /**
     * Reads from {@code from.nextId()} in row order until {@link #CHUNK_ROWS} rows and the end of
     * the batch then being read, the end of the table, or an unreadable page.
     */
    private Scan scan(State from) {
        List<Group> whole = new ArrayList<>();
        Group current = null;
        long lastRead = from.nextId();
        long lastWholeId = from.nextId();
        long rowsRead = 0;
        boolean atEnd = false;
        SQLException unreadable = null;
        try (PreparedStatement q = old.prepareStatement("SELECT id, site, agent_id, sequence, target, type, end_ms,"
                + " json FROM samples WHERE id > ? ORDER BY id")) {
            q.setLong(1, from.nextId());
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
        if (from.dropFirst() && !whole.isEmpty()) {
            whole.remove(0); // it may have begun on the bad page before the point the scan jumped to
            lost++;
        }
        if (unreadable == null) {
            return new Scan(whole, lastWholeId, 0, false, lost, 0, atEnd);
        }
        log.debug("archive salvage: {} unreadable after row {}: {}", moved, lastRead, unreadable.toString());
        if (current != null) {
            lost++; // the batch the bad page cut
        }
        // A new bad region begins once a whole batch was read since the last one; until then the
        // jumps keep growing, so that even a file unreadable every few rows is crossed in ~40 reads.
        boolean newRegion = !whole.isEmpty() || from.skipExponent() == 0;
        int skip = whole.isEmpty() ? from.skipExponent() : 0;
        if (skip >= MAX_SKIP_EXPONENT) {
            return new Scan(whole, lastRead, skip, true, lost, newRegion ? 1 : 0, true);
        }
        return new Scan(whole, lastRead + (1L << skip), skip + 1, true, lost, newRegion ? 1 : 0, false);
    }

    /** Reads one chunk of the old samples and stores its whole batches; the state moves on only if it commits. */
    private final class ChunkJob implements WriteJob {
        final CompletableFuture<State> result = new CompletableFuture<>();
        private final State from;
        private State to;

        ChunkJob(State from) {
            this.from = from;
        }

        @Override
        public void run(WriteStatements statements) throws SQLException {
            Connection c = statements.connection();
            Scan scan = scan(from);
            long batches = from.batches();
            long samples = from.samples();
            long already = from.alreadyStored();
            long expired = from.expired();
            List<Group> groups = scan.whole;
            try (PreparedStatement oldBatch = old.prepareStatement(
                            "SELECT site, received_ms FROM batches WHERE agent_id = ? AND sequence = ?");
                    PreparedStatement exists = c.prepareStatement(
                            "SELECT 1 FROM batches WHERE agent_id = ? AND sequence = ?");
                    PreparedStatement insertBatch = c.prepareStatement(
                            "INSERT INTO batches (agent_id, sequence, site, received_ms) VALUES (?, ?, ?, ?)");
                    PreparedStatement insertSample = c.prepareStatement("INSERT INTO samples (site, agent_id, sequence,"
                            + " target, type, end_ms, json) VALUES (?, ?, ?, ?, ?, ?, ?)");
                    PreparedStatement upsertAgent = c.prepareStatement("INSERT INTO agents (agent_id, site,"
                            + " acked_sequence, last_push_ms) VALUES (?, ?, ?, ?) ON CONFLICT (agent_id) DO UPDATE SET"
                            + " acked_sequence = max(acked_sequence, excluded.acked_sequence),"
                            + " last_push_ms = max(last_push_ms, excluded.last_push_ms)")) {
                for (Group g : groups) {
                    long receivedMillis = receivedMillis(oldBatch, g);
                    if (receivedMillis < cutoffMillis) {
                        expired++;
                        continue;
                    }
                    exists.setString(1, g.key.agentId());
                    exists.setLong(2, g.key.sequence());
                    try (ResultSet rs = exists.executeQuery()) {
                        if (rs.next()) {
                            already++;
                            continue;
                        }
                    }
                    insertBatch.setString(1, g.key.agentId());
                    insertBatch.setLong(2, g.key.sequence());
                    insertBatch.setString(3, g.site);
                    insertBatch.setLong(4, receivedMillis);
                    insertBatch.executeUpdate();
                    for (Row r : g.rows) {
                        insertSample.setString(1, r.site());
                        insertSample.setString(2, g.key.agentId());
                        insertSample.setLong(3, g.key.sequence());
                        insertSample.setString(4, r.target());
                        insertSample.setString(5, r.type());
                        insertSample.setLong(6, r.endMillis());
                        insertSample.setString(7, r.json());
                        insertSample.addBatch();
                    }
                    insertSample.executeBatch();
                    upsertAgent.setString(1, g.key.agentId());
                    upsertAgent.setString(2, g.site);
                    upsertAgent.setLong(3, g.key.sequence());
                    upsertAgent.setLong(4, receivedMillis);
                    upsertAgent.executeUpdate();
                    batches++;
                    samples += g.rows.size();
                }
            }
            to = new State(scan.nextId, scan.skipExponent, scan.dropFirst, batches, samples, already, expired,
                    from.lostBatches() + scan.lost, from.unreadableRegions() + scan.newRegions, scan.finished);
            Recoveries.update(c, moved, to);
        }

        /** When the old archive received the batch; if its key row is unreadable, its newest result's end. */
        private long receivedMillis(PreparedStatement oldBatch, Group g) {
            try {
                oldBatch.setString(1, g.key.agentId());
                oldBatch.setLong(2, g.key.sequence());
                try (ResultSet rs = oldBatch.executeQuery()) {
                    if (rs.next()) {
                        return rs.getLong(2);
                    }
                }
            } catch (SQLException e) {
                log.debug("archive salvage: key {} unreadable in {}: {}", g.key, moved, e.toString());
            }
            return g.rows.stream().mapToLong(Row::endMillis).max().orElse(0);
        }

        @Override
        public void committed() {
            result.complete(to);
        }

        @Override
        public void failed(ArchiveWriteException cause) {
            result.completeExceptionally(cause);
        }

        @Override
        public long bytes() {
            return 0;
        }
    }

}
