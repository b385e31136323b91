package io.linkprobe.collector.archive;

import io.linkprobe.common.wire.Sample;
import io.micrometer.core.instrument.Timer;
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
 * {@link Archive} over JDBC: one writer connection behind a {@link GroupCommitWriter}, one
 * connection for history queries and one for the rollup job (each serialised: a JDBC connection
 * is used by one thread at a time). The layout is the same on both engines ({@link SqlDialect}):
 * raw pushes in day partitions by time of receipt, each row a whole push with its key; rollups in
 * month partitions; sites, agents and the site-hours to roll up in plain tables.
 */
public final class JdbcArchive implements Archive {
    private static final Logger log = LoggerFactory.getLogger(JdbcArchive.class);
    /** Pushes waiting for a commit. A commit takes a few ms, so this is seconds of backlog at most. */
    static final int MAX_QUEUED_BATCHES = 4_096;
    /**
     * Bytes waiting. Each queued push also holds its parsed samples until it is aggregated, so
     * this bounds more heap than it counts. 64 MiB is over a second of writing in a replay storm;
     * at 256 MiB a 10,000-agent storm filled a 1 GiB heap (bench/ingest.sh).
     */
    static final long MAX_QUEUED_BYTES = 64L * 1024 * 1024;
    /** While the archive cannot write and no push comes, how often a probe write tries again. */
    static final Duration PROBE_PERIOD = Duration.ofSeconds(5);

    private final SqlDialect dialect;
    private final ArchiveRetention retention;
    private final Clock clock;
    private final Partitions partitions;
    private final GroupCommitWriter writer;
    private final ReadConnection reader;
    private final RollupJob rollups;
    private final Object rollupRunning = new Object();
    private final List<Salvage> salvages = new ArrayList<>();
    private volatile long lastRecoveryMillis = -1;

    private JdbcArchive(SqlDialect dialect, ArchiveRetention retention, Clock clock, Partitions partitions,
            GroupCommitWriter writer) {
        this.dialect = dialect;
        this.retention = retention;
        this.clock = clock;
        this.partitions = partitions;
        this.writer = writer;
        this.reader = new ReadConnection(dialect, partitions);
        this.rollups = new RollupJob(new ReadConnection(dialect, partitions), writer);
    }

    /**
     * Opens (creating if needed) the SQLite archive at {@code file} and its partitions beside it;
     * moves aside and salvages files found corrupt ({@link SqliteArchiveStart}).
     */
    public static JdbcArchive openSqlite(Path file, ArchiveRetention retention, Clock clock, Timer transactionTimer)
            throws ArchiveException {
        return SqliteArchiveStart.open(file, retention, clock, transactionTimer);
    }

    /**
     * Opens the archive in the PostgreSQL database at {@code url} (creating its tables if needed).
     *
     * @param password null when the URL or the server's authentication needs none
     */
    public static JdbcArchive openPostgres(String url, String password, ArchiveRetention retention, Clock clock,
            Timer transactionTimer) throws ArchiveException {
        return open(new PostgresDialect(url, password), retention, clock, transactionTimer);
    }

    /** Opens over {@code dialect}: runs its DDL, finds its partitions, starts the writer. */
    static JdbcArchive open(SqlDialect dialect, ArchiveRetention retention, Clock clock, Timer transactionTimer)
            throws ArchiveException {
        if (dialect.maxPartitions() > 0 && retention.maxPartitions() > dialect.maxPartitions()) {
            throw new ArchiveException("archive.raw_retention " + retention.raw().toDays() + "d and archive.rollup_retention "
                    + retention.rollup().toDays() + "d need up to " + retention.maxPartitions() + " partition files, more"
                    + " than SQLite can attach (" + dialect.maxPartitions() + "); shorten them (raw at most ~60d with"
                    + " rollups of 3 years) or use PostgreSQL (archive.url)", null);
        }
        Set<Partition> existing;
        try (Connection setup = dialect.connect(true); Statement s = setup.createStatement()) {
            setup.setAutoCommit(true);
            for (String ddl : dialect.schema()) {
                s.execute(ddl);
            }
            existing = dialect.partitions(setup);
        } catch (SQLException e) {
            throw new ArchiveException("cannot open the archive " + dialect.describe() + " (" + e.getMessage()
                    + "); " + dialect.openHint(), e);
        }
        Partitions partitions = new Partitions(existing);
        GroupCommitWriter writer;
        try {
            writer = new GroupCommitWriter(dialect, partitions, clock, PROBE_PERIOD, MAX_QUEUED_BATCHES, MAX_QUEUED_BYTES,
                    transactionTimer);
        } catch (SQLException e) {
            throw new ArchiveException("cannot open the archive " + dialect.describe() + " for writing ("
                    + e.getMessage() + "); " + dialect.openHint(), e);
        }
        JdbcArchive archive = new JdbcArchive(dialect, retention, clock, partitions, writer);
        try {
            synchronized (archive.reader) {
                archive.lastRecoveryMillis = Recoveries.lastRecoveryMillis(archive.reader.get());
            }
        } catch (SQLException e) {
            archive.close();
            throw new ArchiveException("cannot read the archive " + dialect.describe() + " (" + e.getMessage() + "); "
                    + dialect.openHint(), e);
        }
        return archive;
    }

    GroupCommitWriter writer() {
        return writer;
    }

    ReadConnection reader() {
        return reader;
    }

    void recovered(long millis, List<Salvage> started) {
        if (millis >= 0) {
            lastRecoveryMillis = millis;
        }
        salvages.addAll(started);
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

    private interface Read<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T read(String what, Read<T> body) throws ArchiveException {
        synchronized (reader) {
            try {
                return body.run(reader.get());
            } catch (SQLException e) {
                reader.broken();
                throw new ArchiveException(what + " failed: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public List<StoredSample> history(String site, long fromMillis, long toMillis, int limit) throws ArchiveException {
        return read("reading the history of " + site, c -> RawReads.history(c, site, fromMillis, toMillis, limit));
    }

    @Override
    public List<StoredSample> recent(String site, Sample.Kind kind, long fromMillis, long toMillis, int limit)
            throws ArchiveException {
        return read("reading the " + kind.wireName() + " results of " + site,
                c -> RawReads.recent(c, site, kind, fromMillis, toMillis, limit));
    }

    @Override
    public List<HourlyRollup> rollups(String site, long fromMillis, long toMillis) throws ArchiveException {
        return read("reading the hourly rollups of " + site, c -> RawReads.rollups(c, site, fromMillis, toMillis));
    }

    @Override
    public Duration rawRetention() {
        return retention.raw();
    }

    @Override
    public Duration rollupRetention() {
        return retention.rollup();
    }

    @Override
    public List<KnownSite> knownSites() throws ArchiveException {
        return read("reading the sites", c -> {
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT site, last_push_ms, identity FROM sites")) {
                List<KnownSite> sites = new ArrayList<>();
                while (rs.next()) {
                    sites.add(new KnownSite(rs.getString(1), rs.getLong(2), rs.getString(3)));
                }
                return sites;
            }
        });
    }

    @Override
    public long ackedSequence(String agentId) throws ArchiveException {
        return read("reading agent " + agentId, c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT acked_sequence FROM agents WHERE agent_id = ?")) {
                q.setString(1, agentId);
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) {
                        return rs.getLong(1);
                    }
                }
            }
            return RawReads.maxSequence(c, agentId); // the agents table lost with a corrupt main file
        });
    }

    @Override
    public int rollUp() throws ArchiveException {
        synchronized (rollupRunning) {
            try {
                return rollups.run(clock.millis());
            } catch (SQLException | ArchiveWriteException e) {
                throw new ArchiveException("rolling up the archive failed: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ArchiveException("rolling up the archive was interrupted", e);
            }
        }
    }

    @Override
    public CompletableFuture<Set<String>> enforceRetention() {
        CompletableFuture<Set<String>> result = new CompletableFuture<>();
        long now = clock.millis();
        boolean rolledUp;
        try {
            rollUp();
            rolledUp = true;
        } catch (ArchiveException e) {
            // Raw days are kept until what they hold is rolled up: the next run drops them.
            log.warn("archive retention: {}; raw partitions are kept until the rollup succeeds", e.getMessage());
            rolledUp = false;
        }
        long rawCutoff = now - retention.raw().toMillis();
        long rollupCutoff = now - retention.rollup().toMillis();
        List<Partition> drop = new ArrayList<>();
        for (Partition p : partitions.all()) {
            if (p.endMillis() <= (p.tier() == Tier.RAW ? rawCutoff : rollupCutoff) && (rolledUp || p.tier() != Tier.RAW)) {
                drop.add(p);
            }
        }
        if (!drop.isEmpty()) {
            log.info("archive retention: dropping {} partitions whole: {}", drop.size(), drop);
        }
        try {
            if (dialect.dropsBesideTheWriter()) {
                dropBesideTheWriter(drop);
            } else {
                writer.put(new DropJob(drop));
            }
            writer.put(new ForgetJob(rollupCutoff, result));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result.completeExceptionally(e);
        }
        return result.thenApply(forgotten -> {
            synchronized (reader) {
                try {
                    reader.get(); // stop holding the dropped files open now, not at the next query
                } catch (SQLException e) {
                    reader.broken();
                }
            }
            return forgotten;
        });
    }

    /**
     * Drops partitions on a connection of their own, while the writer goes on committing pushes:
     * where partitions are tables every connection sees (PostgreSQL: DETACH ... CONCURRENTLY does
     * not block inserts into the other partitions), the writer need not stop for it.
     */
    private void dropBesideTheWriter(List<Partition> drop) {
        if (drop.isEmpty()) {
            return;
        }
        try (Connection c = dialect.connect(false)) {
            c.setAutoCommit(true);
            for (Partition p : drop) {
                long start = System.nanoTime();
                dialect.drop(c, p);
                partitions.remove(p);
                log.info("archive retention: dropped partition {} in {} ms", p, (System.nanoTime() - start) / 1_000_000);
            }
        } catch (SQLException e) {
            log.warn("archive retention: dropping {} failed: {}", drop, e.getMessage());
        }
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

    /** The partitions that exist now (for tests and the storage benchmark). */
    public Set<Partition> partitions() {
        return partitions.all();
    }

    public SqlDialect dialect() {
        return dialect;
    }

    @Override
    public void close() {
        salvages.forEach(Salvage::stop);
        writer.close();
        salvages.forEach(Salvage::close);
        reader.close();
        rollups.close();
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
        public ArchiveBatch batch() {
            return batch;
        }

        @Override
        public void stored(StoreResult result) {
            outcome = result;
        }

        @Override
        public Set<Partition> partitions() {
            return Set.of(batch.partition());
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

    /** Drops partitions whole, between transactions: a file deleted, a table detached and dropped. */
    private static final class DropJob implements WriteJob {
        private final List<Partition> drop;

        DropJob(List<Partition> drop) {
            this.drop = drop;
        }

        @Override
        public void run(WriteStatements statements) throws SQLException {
            for (Partition p : drop) {
                long start = System.nanoTime();
                statements.drop(p);
                log.info("archive retention: dropped partition {} in {} ms", p, (System.nanoTime() - start) / 1_000_000);
            }
        }

        @Override
        public boolean outsideTransaction() {
            return true;
        }

        @Override
        public void committed() {}

        @Override
        public void failed(ArchiveWriteException cause) {
            log.warn("archive retention: dropping {} failed: {}", drop, cause.getMessage());
        }

        @Override
        public long bytes() {
            return 0;
        }
    }

    /** Forgets sites and agents silent for longer than the rollup retention. */
    private final class ForgetJob implements WriteJob {
        private final long cutoffMillis;
        private final CompletableFuture<Set<String>> result;
        private final Set<String> forgotten = new HashSet<>();

        ForgetJob(long cutoffMillis, CompletableFuture<Set<String>> result) {
            this.cutoffMillis = cutoffMillis;
            this.result = result;
        }

        @Override
        public void run(WriteStatements statements) throws SQLException {
            forgotten.clear();
            forgotten.addAll(statements.forgetSilent(cutoffMillis));
        }

        @Override
        public void committed() {
            if (!forgotten.isEmpty()) {
                log.info("archive retention: forgot {} sites silent for longer than {}", forgotten.size(),
                        retention.rollup());
            }
            result.complete(Set.copyOf(forgotten));
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
