package io.linkprobe.collector.archive;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The collector's store of every accepted result and of the idempotency keys that make a replayed
 * push harmless. SQLite by default ({@link JdbcArchive#openSqlite}); the same JDBC layer is the
 * path to PostgreSQL when one machine is not enough.
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

    /** Results of {@code site} that ended in {@code [fromMillis, toMillis)}, oldest first, at most {@code limit}. */
    List<StoredSample> history(String site, long fromMillis, long toMillis, int limit) throws ArchiveException;

    /**
     * Results of {@code site} of one {@code type} (latency, throughput, connect, health) that ended
     * in {@code [fromMillis, toMillis)}, newest first, at most {@code limit}: what a page of recent
     * results needs, without the other types crowding out the newest rows.
     */
    List<StoredSample> recent(String site, String type, long fromMillis, long toMillis, int limit) throws ArchiveException;

    /** Every site with its last push, for listing sites again after a restart. */
    List<KnownSite> knownSites() throws ArchiveException;

    /** The highest sequence stored for {@code agentId}, or -1. */
    long ackedSequence(String agentId) throws ArchiveException;

    /**
     * Deletes what is older than the retention, a chunk at a time between pushes.
     *
     * @return the sites forgotten because their last push is older than the retention
     */
    CompletableFuture<Set<String>> enforceRetention();

    /** Pushes waiting for the writer. */
    int queuedBatches();

    /**
     * Empty while the archive's last transaction committed; otherwise, as one line, why it cannot
     * write now (a full disk, say) and since when. Cleared by the next write that commits: a push,
     * or a probe the archive makes itself while no push comes.
     */
    Optional<String> writeProblem();

    /**
     * When the archive file was last found corrupt at start, moved aside and replaced (epoch ms,
     * remembered across restarts), or -1 if never.
     */
    long lastRecoveryMillis();

    /** Stops taking pushes, commits what is queued, closes the files. */
    @Override
    void close();
}
