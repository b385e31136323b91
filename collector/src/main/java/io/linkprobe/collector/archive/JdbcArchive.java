package io.linkprobe.collector.archive;

import io.micrometer.core.instrument.Timer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Archive} over JDBC: one writer connection behind a {@link GroupCommitWriter}, one reader
 * connection for history queries (serialised: they are rare and SQLite connections are not
 * thread-safe).
 */
public final class JdbcArchive implements Archive {
    private static final Logger log = LoggerFactory.getLogger(JdbcArchive.class);
    /** Pushes waiting for a commit. A commit takes a few ms, so this is seconds of backlog at most. */
    static final int MAX_QUEUED_BATCHES = 4_096;
    /**
     * JSON bytes waiting. Each queued push also holds its parsed samples (about as much again) until
     * it is aggregated, so this bounds ~2× as much heap. 64 MiB is over a second of writing in a
     * replay storm; at 256 MiB a 10,000-agent storm filled a 1 GiB heap (G1 to-space exhausted,
     * full GCs of 0.5–1 s) and drained no faster (bench/ingest.sh).
     */
    static final long MAX_QUEUED_BYTES = 64L * 1024 * 1024;
    /** While the archive cannot write and no push comes, how often a probe write tries again. */
    static final Duration PROBE_PERIOD = Duration.ofSeconds(5);

    private final Duration retention;
    private final Clock clock;
    private final GroupCommitWriter writer;
    private final Connection reader;
    private final List<Salvage> salvages = new ArrayList<>();
    private volatile long lastRecoveryMillis = -1;

    private JdbcArchive(Duration retention, Clock clock, GroupCommitWriter writer, Connection reader) {
        this.retention = retention;
        this.clock = clock;
        this.writer = writer;
        this.reader = reader;
    }

    /** Opens (creating if needed) the SQLite archive at {@code file}. */
    public static JdbcArchive openSqlite(Path file, Duration retention, Clock clock, Timer transactionTimer)
            throws ArchiveException {
        Path dir = file.toAbsolutePath().getParent();
        try {
            if (dir != null) {
                Files.createDirectories(dir);
            }
        } catch (java.io.IOException e) {
            String why = e instanceof java.nio.file.FileAlreadyExistsException ? "a file, not a directory, has that name"
                    : e instanceof java.nio.file.FileSystemException f && f.getReason() != null
                    ? f.getReason() : e.getClass().getSimpleName();
            throw new ArchiveException("cannot create the archive directory " + dir + " (" + why
                    + "); create it or change archive.path", e);
        }
        Optional<String> corrupt = SqliteFileCheck.corruption(file);
        Path moved = corrupt.isPresent() ? SqliteFileCheck.moveAside(file, clock.instant()) : null;
        JdbcArchive archive = open(new SqliteDialect(file), retention, clock, transactionTimer);
        try {
            if (moved != null) {
                archive.lastRecoveryMillis = clock.millis();
                ArchiveRecovery.recover(archive.writer, file, moved, corrupt.get(), archive.lastRecoveryMillis,
                        archive.lastRecoveryMillis - retention.toMillis()).ifPresent(archive.salvages::add);
            } else {
                archive.salvages.addAll(ArchiveRecovery.resume(archive.writer, archive.reader));
            }
        } catch (ArchiveException | InterruptedException e) {
            archive.close();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                throw new ArchiveException("interrupted while opening the archive " + file, e);
            }
            throw (ArchiveException) e;
        }
        return archive;
    }

    public static JdbcArchive open(SqlDialect dialect, Duration retention, Clock clock, Timer transactionTimer)
            throws ArchiveException {
        Connection readConnection = null;
        try {
            try (Connection setup = dialect.connect(true); Statement s = setup.createStatement()) {
                for (String ddl : dialect.schema()) {
                    s.execute(ddl);
                }
            }
            readConnection = dialect.connect(false);
            long lastRecovery = Recoveries.lastRecoveryMillis(readConnection);
            GroupCommitWriter writer = new GroupCommitWriter(dialect, clock, PROBE_PERIOD, MAX_QUEUED_BATCHES,
                    MAX_QUEUED_BYTES, transactionTimer);
            JdbcArchive archive = new JdbcArchive(retention, clock, writer, readConnection);
            archive.lastRecoveryMillis = lastRecovery;
            return archive;
        } catch (SQLException e) {
            closeQuietly(readConnection);
            throw new ArchiveException("cannot open the archive " + dialect.describe() + " (" + e.getMessage()
                    + "); check archive.path, its directory's permissions and free space", e);
        }
    }

    @Override
    public CompletableFuture<StoreResult> store(ArchiveBatch batch) throws ArchiveOverloadedException {
        StoreJob job = new StoreJob(batch);
        if (!writer.offer(job)) {
            throw new ArchiveOverloadedException("the archive has " + writer.queued()
                    + " pushes waiting to be written; retry shortly");
        }
        return job.result;
    }

    @Override
    public synchronized List<StoredSample> history(String site, long fromMillis, long toMillis, int limit)
            throws ArchiveException {
        try (PreparedStatement q = reader.prepareStatement("SELECT target, type, end_ms, json FROM samples"
                + " WHERE site = ? AND end_ms >= ? AND end_ms < ? ORDER BY end_ms LIMIT ?")) {
            q.setString(1, site);
            q.setLong(2, fromMillis);
            q.setLong(3, toMillis);
            q.setInt(4, limit);
            return samples(q);
        } catch (SQLException e) {
            throw new ArchiveException("reading the history of " + site + " failed: " + e.getMessage(), e);
        }
    }

    /** Rows of {@code SELECT target, type, end_ms, json}. */
    private static List<StoredSample> samples(PreparedStatement q) throws SQLException {
        List<StoredSample> rows = new ArrayList<>();
        try (ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                rows.add(new StoredSample(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4)));
            }
        }
        return rows;
    }

    @Override
    public synchronized List<StoredSample> recent(String site, String type, long fromMillis, long toMillis, int limit)
            throws ArchiveException {
        // The (site, end_ms) index walks backwards from toMillis; type is filtered on the way.
        try (PreparedStatement q = reader.prepareStatement("SELECT target, type, end_ms, json FROM samples"
                + " WHERE site = ? AND end_ms >= ? AND end_ms < ? AND type = ? ORDER BY end_ms DESC LIMIT ?")) {
            q.setString(1, site);
            q.setLong(2, fromMillis);
            q.setLong(3, toMillis);
            q.setString(4, type);
            q.setInt(5, limit);
            return samples(q);
        } catch (SQLException e) {
            throw new ArchiveException("reading the " + type + " results of " + site + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized List<KnownSite> knownSites() throws ArchiveException {
        try (Statement s = reader.createStatement();
                ResultSet rs = s.executeQuery("SELECT site, last_push_ms, identity FROM sites")) {
            List<KnownSite> sites = new ArrayList<>();
            while (rs.next()) {
                sites.add(new KnownSite(rs.getString(1), rs.getLong(2), rs.getString(3)));
            }
            return sites;
        } catch (SQLException e) {
            throw new ArchiveException("reading the sites failed: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized long ackedSequence(String agentId) throws ArchiveException {
        try (PreparedStatement q = reader.prepareStatement("SELECT acked_sequence FROM agents WHERE agent_id = ?")) {
            q.setString(1, agentId);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        } catch (SQLException e) {
            throw new ArchiveException("reading agent " + agentId + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public CompletableFuture<Set<String>> enforceRetention() {
        RetentionJob job = new RetentionJob(clock.millis() - retention.toMillis());
        try {
            writer.put(job);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            job.result.completeExceptionally(e);
        }
        return job.result;
    }

    @Override
    public int queuedBatches() {
        return writer.queued();
    }

    @Override
    public Optional<String> writeProblem() {
        return writer.problem();
    }

    @Override
    public long lastRecoveryMillis() {
        return lastRecoveryMillis;
    }

    @Override
    public void close() {
        salvages.forEach(Salvage::stop);
        writer.close();
        salvages.forEach(Salvage::close);
        synchronized (this) {
            closeQuietly(reader);
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                log.debug("closing a connection: {}", e.toString());
            }
        }
    }

    private final class StoreJob implements WriteJob {
        private final ArchiveBatch batch;
        private final CompletableFuture<StoreResult> result = new CompletableFuture<>();
        private StoreResult outcome;

        StoreJob(ArchiveBatch batch) {
            this.batch = batch;
        }

        @Override
        public void run(WriteStatements statements) throws SQLException {
            outcome = statements.store(batch);
        }

        @Override
        public void committed() {
            result.complete(outcome);
        }

        @Override
        public void failed(ArchiveWriteException cause) {
            result.completeExceptionally(cause);
        }

        @Override
        public long bytes() {
            return batch.approximateBytes();
        }
    }

    /** Deletes one chunk per run and queues itself again, so pushes interleave with a long sweep. */
    private final class RetentionJob implements WriteJob {
        private final long cutoffMillis;
        private final CompletableFuture<Set<String>> result;
        private final Set<String> forgotten;
        private boolean more;

        RetentionJob(long cutoffMillis) {
            this(cutoffMillis, new CompletableFuture<>(), new HashSet<>());
        }

        private RetentionJob(long cutoffMillis, CompletableFuture<Set<String>> result, Set<String> forgotten) {
            this.cutoffMillis = cutoffMillis;
            this.result = result;
            this.forgotten = forgotten;
        }

        @Override
        public void run(WriteStatements statements) throws SQLException {
            more = statements.deleteChunk(cutoffMillis);
            if (!more) {
                forgotten.addAll(statements.forgetSilent(cutoffMillis));
            }
        }

        @Override
        public void committed() {
            if (!more) {
                if (!forgotten.isEmpty()) {
                    log.info("archive retention: forgot {} sites silent for longer than {}", forgotten.size(), retention);
                }
                result.complete(Set.copyOf(forgotten));
                return;
            }
            RetentionJob next = new RetentionJob(cutoffMillis, result, forgotten);
            if (!writer.offer(next)) {
                // The queue is full of pushes; they come first. The next scheduled sweep carries on.
                result.complete(Set.copyOf(forgotten));
            }
        }

        @Override
        public void failed(ArchiveWriteException cause) {
            log.warn("archive retention step failed: {}", cause.getMessage());
            result.completeExceptionally(cause);
        }

        @Override
        public long bytes() {
            return 0;
        }
    }
}
