package io.linkprobe.collector.archive;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies what SQLite can still read of an archive found corrupt at start (moved aside by
 * {@link SqliteFileCheck}) into the new archive, a chunk at a time through the archive's writer
 * so that pushes carry on meanwhile, with its progress in the new archive's {@code recoveries}
 * table (committed with each chunk: a restart resumes where it stopped).
 *
 * <p>Results are copied a whole batch at a time ({@link CorruptFileReader#scan}), with their
 * idempotency key: never a key without its samples (a replay of that batch would be answered
 * "duplicate" while its results are not here) nor samples without their key (a replay would store
 * them twice). A batch whose key is already in the new archive (its agent replayed it meanwhile)
 * is left as stored.
 */
final class Salvage implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Salvage.class);
    /** How long to wait before retrying a chunk the new archive could not commit (disk full, say). */
    private static final long RETRY_MILLIS = 5_000;
    /** Chunks failing for a reason other than a full disk, in a row, before the salvage stops. */
    private static final int MAX_ERRORS = 10;

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

    private final GroupCommitWriter writer;
    private final Path moved;
    private final long cutoffMillis;
    private final long listedBatches;
    private final long sitesKept;
    private final CorruptFileReader old;
    private final Thread thread;
    private volatile State state;

    private Salvage(GroupCommitWriter writer, Path moved, long cutoffMillis, long listedBatches, long sitesKept,
            CorruptFileReader old, State state) {
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
     * Starts the copy from {@code moved}, whose sites (within retention) have been restored
     * already; {@code state} is where an earlier run stopped.
     */
    static Salvage start(GroupCommitWriter writer, CorruptFileReader old, long cutoffMillis, long listedBatches,
            long sitesKept, State state) {
        Salvage s = new Salvage(writer, old.file(), cutoffMillis, listedBatches, sitesKept, old, state);
        s.thread.start();
        return s;
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

    private void closeFile() {
        old.close();
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
            CorruptFileReader.Scan scan = old.scan(from.nextId(), from.skipExponent(), from.dropFirst());
            long batches = from.batches();
            long samples = from.samples();
            long already = from.alreadyStored();
            long expired = from.expired();
            try (PreparedStatement exists = c.prepareStatement(
                            "SELECT 1 FROM batches WHERE agent_id = ? AND sequence = ?");
                    PreparedStatement insertBatch = c.prepareStatement(
                            "INSERT INTO batches (agent_id, sequence, site, received_ms) VALUES (?, ?, ?, ?)");
                    PreparedStatement insertSample = c.prepareStatement("INSERT INTO samples (site, agent_id, sequence,"
                            + " target, type, end_ms, json) VALUES (?, ?, ?, ?, ?, ?, ?)");
                    PreparedStatement upsertAgent = c.prepareStatement("INSERT INTO agents (agent_id, site,"
                            + " acked_sequence, last_push_ms) VALUES (?, ?, ?, ?) ON CONFLICT (agent_id) DO UPDATE SET"
                            + " acked_sequence = max(acked_sequence, excluded.acked_sequence),"
                            + " last_push_ms = max(last_push_ms, excluded.last_push_ms)")) {
                for (CorruptFileReader.Group g : scan.whole()) {
                    long receivedMillis = old.receivedMillis(g);
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
                    for (CorruptFileReader.Row r : g.rows) {
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
            to = new State(scan.nextId(), scan.skipExponent(), scan.dropFirst(), batches, samples, already, expired,
                    from.lostBatches() + scan.lost(), from.unreadableRegions() + scan.newRegions(), scan.finished());
            Recoveries.update(c, moved, to);
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
