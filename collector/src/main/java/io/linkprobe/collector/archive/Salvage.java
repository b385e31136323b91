package io.linkprobe.collector.archive;

import io.linkprobe.collector.archive.codec.CodecException;
import io.linkprobe.collector.archive.codec.PushCodec;
import io.linkprobe.common.wire.Json;
import io.linkprobe.common.wire.Sample;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
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

    /**
     * Reads one chunk of the old file and copies what it found; the state moves on only if it
     * commits. The chunk is read before its transaction begins ({@link #partitions}), because the
     * partitions it copies into must exist before then.
     */
    private final class ChunkJob implements WriteJob {
        final CompletableFuture<State> result = new CompletableFuture<>();
        private final State from;
        private State to;
        private CorruptFileReader.Scan batches;
        private CorruptFileReader.Rows<CorruptFileReader.PushRow> pushes;
        private CorruptFileReader.Rows<HourlyRollup> rollups;
        private Set<Partition> needed;

        ChunkJob(State from) {
            this.from = from;
        }

        @Override
        public Set<Partition> partitions() {
            if (needed == null) {
                read();
            }
            return needed;
        }

        private void read() {
            needed = new TreeSet<>();
            switch (old.kind()) {
                case SINGLE_FILE -> {
                    batches = old.scan(from.nextId(), from.skipExponent(), from.dropFirst());
                    for (CorruptFileReader.Group g : batches.whole()) {
                        long received = old.receivedMillis(g);
                        g.receivedMillis = received;
                        if (received >= cutoffMillis) {
                            needed.add(Partition.raw(received));
                        }
                    }
                }
                case RAW -> {
                    pushes = old.scanPushes(from.nextId(), from.skipExponent());
                    pushes.rows().stream().filter(r -> r.receivedMillis() >= cutoffMillis)
                            .forEach(r -> needed.add(Partition.raw(r.receivedMillis())));
                }
                case HOURLY -> {
                    rollups = old.scanRollups(from.nextId(), from.skipExponent());
                    rollups.rows().forEach(r -> needed.add(Partition.hourly(r.hourMillis())));
                }
                case MAIN -> { }
            }
        }

        @Override
        public void run(WriteStatements statements) throws SQLException {
            if (needed == null) {
                read();
            }
            Counts n = new Counts(from);
            switch (old.kind()) {
                case SINGLE_FILE -> {
                    for (CorruptFileReader.Group g : batches.whole()) {
                        copy(statements, n, g);
                    }
                    to = n.state(batches.nextId(), batches.skipExponent(), batches.dropFirst(), batches.lost(),
                            batches.newRegions(), batches.finished());
                }
                case RAW -> {
                    for (CorruptFileReader.PushRow r : pushes.rows()) {
                        copy(statements, n, r);
                    }
                    to = n.state(pushes.nextId(), pushes.skipExponent(), false, pushes.lost(), pushes.newRegions(),
                            pushes.finished());
                }
                case HOURLY -> {
                    statements.insertRollupsIfAbsent(rollups.rows());
                    n.batches += rollups.rows().size();
                    n.samples += rollups.rows().size();
                    to = n.state(rollups.nextId(), rollups.skipExponent(), false, rollups.lost(), rollups.newRegions(),
                            rollups.finished());
                }
                case MAIN -> to = n.state(from.nextId(), 0, false, 0, 0, true);
            }
            Recoveries.update(statements.connection(), moved, to);
        }

        /** A whole batch of the single-file layout, as one push of the raw tier. */
        private void copy(WriteStatements s, Counts n, CorruptFileReader.Group g) throws SQLException {
            if (g.receivedMillis < cutoffMillis) {
                n.expired++;
                return;
            }
            if (s.storedFor(g.key.agentId(), g.key.sequence()) != null) {
                n.already++;
                return;
            }
            List<Sample> samples = new ArrayList<>(g.rows.size());
            for (CorruptFileReader.Row r : g.rows) {
                try {
                    samples.add(Json.mapper().readValue(r.json(), Sample.class));
                } catch (java.io.IOException e) {
                    n.lost++; // a row whose JSON no longer reads: the batch would be copied in part
                    return;
                }
            }
            s.copy(ArchiveBatch.of(g.site, g.key.agentId(), g.key.sequence(), g.receivedMillis, "", samples));
            n.batches++;
            n.samples += samples.size();
        }

        private void copy(WriteStatements s, Counts n, CorruptFileReader.PushRow r) throws SQLException {
            if (r.receivedMillis() < cutoffMillis) {
                n.expired++;
                return;
            }
            if (s.storedFor(r.agentId(), r.sequence()) != null) {
                n.already++;
                return;
            }
            List<Sample> samples;
            try {
                samples = PushCodec.decode(r.data());
            } catch (CodecException e) {
                n.lost++;
                return;
            }
            ArchiveBatch b = ArchiveBatch.of(r.site(), r.agentId(), r.sequence(), r.receivedMillis(), "", samples);
            s.copy(new ArchiveBatch(b.site(), b.agentId(), b.sequence(), b.receivedMillis(), "", r.samples(),
                    r.firstEndMillis(), r.lastEndMillis(), r.kinds(), b.hours(), r.data()));
            n.batches++;
            n.samples += r.samples();
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

    /** The counters of a chunk, from where the last chunk left them. */
    private static final class Counts {
        long batches;
        long samples;
        long already;
        long expired;
        long lost;
        private final State from;

        Counts(State from) {
            this.from = from;
            batches = from.batches();
            samples = from.samples();
            already = from.alreadyStored();
            expired = from.expired();
        }

        State state(long nextId, int skipExponent, boolean dropFirst, long scanLost, long newRegions, boolean finished) {
            return new State(nextId, skipExponent, dropFirst, batches, samples, already, expired,
                    from.lostBatches() + scanLost + lost, from.unreadableRegions() + newRegions, finished);
        }
    }
}
