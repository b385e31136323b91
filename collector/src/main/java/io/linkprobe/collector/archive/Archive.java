package io.linkprobe.collector.archive;

import io.linkprobe.common.wire.Sample;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The collector's store of every accepted result and of the idempotency keys that make a replayed
 * push harmless, in two {@link Tier tiers}: raw results kept {@code archive.raw_retention}, hourly
 * rollups per site and target kept {@code archive.rollup_retention}, both partitioned by time so
 * that retention drops partitions whole. SQLite by default ({@link JdbcArchive#openSqlite}),
 * PostgreSQL through the same JDBC layer ({@link JdbcArchive#openPostgres}).
 *
 * <p>Reading a tier: {@link #history} and {@link #recent} read raw results (for a range within
 * {@link #rawRetention}); {@link #rollups} reads the hourly tier (any range within
 * {@link #rollupRetention}; the current hour and the hour before it appear once they are rolled
 * up, after {@link #rollUp}); {@link #tierFor} says which one covers a range.
 */
public interface Archive extends AutoCloseable {

    /**
     * Queues {@code batch} for the next group commit. The future completes once the batch and its
     * key are durably committed (or found already stored), never before: only then may the push
     * be acked. It completes exceptionally with an {@link ArchiveWriteException} when the batch
     * was not stored (its key and samples were rolled back together).
     *
     * @throws ArchiveOverloadedException at once when the write queue is full
     */
    CompletableFuture<StoreResult> store(ArchiveBatch batch) throws ArchiveOverloadedException;

    /** Raw results of {@code site} that ended in {@code [fromMillis, toMillis)}, oldest first, at most {@code limit}. */
    List<StoredSample> history(String site, long fromMillis, long toMillis, int limit) throws ArchiveException;

    /**
     * Raw results of {@code site} of one {@code kind} that ended in {@code [fromMillis, toMillis)},
     * newest first, at most {@code limit}: what a page of recent results needs, without the other
     * kinds crowding out the newest rows.
     */
    List<StoredSample> recent(String site, Sample.Kind kind, long fromMillis, long toMillis, int limit)
            throws ArchiveException;

    /**
     * The hourly rollups of {@code site}, every target, for the hours that start in
     * {@code [fromMillis, toMillis)}, by hour then target.
     */
    List<HourlyRollup> rollups(String site, long fromMillis, long toMillis) throws ArchiveException;

    /** The tier that holds results from {@code fromMillis} on, as of {@code nowMillis}. */
    default Tier tierFor(long fromMillis, long nowMillis) {
        return fromMillis >= nowMillis - rawRetention().toMillis() ? Tier.RAW : Tier.HOURLY;
    }

    Duration rawRetention();

    Duration rollupRetention();

    /** Every site with its last push, for listing sites again after a restart. */
    List<KnownSite> knownSites() throws ArchiveException;

    /** The highest sequence stored for {@code agentId}, or -1. */
    long ackedSequence(String agentId) throws ArchiveException;

    /**
     * Rolls up every complete hour that received results since it was last rolled up (also runs
     * hourly in a running collector). Returns the number of site-hours written.
     */
    int rollUp() throws ArchiveException;

    /**
     * Rolls up what is pending, then drops the raw partitions older than the raw retention and the
     * hourly ones older than the rollup retention, whole, and forgets sites silent for longer than
     * the rollup retention.
     *
     * @return the sites forgotten
     */
    CompletableFuture<Set<String>> enforceRetention();

    /** Pushes waiting for the writer. */
    int queuedBatches();

    /**
     * Empty while the archive's last transaction committed; otherwise, as one line, why it cannot
     * write now (a full disk, a lost database server, say) and since when. Cleared by the next
     * write that commits: a push, or a probe the archive makes itself while no push comes.
     */
    Optional<String> writeProblem();

    /**
     * When an archive file was last found corrupt at start, moved aside and replaced (epoch ms,
     * remembered across restarts), or -1 if never.
     */
    long lastRecoveryMillis();

    /** Stops taking pushes, commits what is queued, closes the files. */
    @Override
    void close();
}
