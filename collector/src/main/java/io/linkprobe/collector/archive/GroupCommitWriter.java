package io.linkprobe.collector.archive;

import io.micrometer.core.instrument.Timer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread owns the write connection and commits whatever has queued up since its last commit
 * in a single transaction: under load, hundreds of pushes share one fsync; when idle, a push is
 * committed alone at once. Each job runs under a savepoint, so one bad batch fails alone.
 *
 * <p>The queue is bounded in jobs and in bytes; {@link #offer} refuses when it is full, and the
 * caller answers 503 + Retry-After, which turns overload into agent back-off instead of memory.
 *
 * <p><b>When the disk refuses.</b> On SQLITE_FULL or an I/O error SQLite may undo just the failing
 * statement or the whole transaction, and then the connection is back in autocommit mode while
 * the JDBC driver still believes a transaction is open: every later savepoint would commit on its
 * own and every later {@code commit()} fail ("no transaction is active"). So a job's own failure
 * is undone to its savepoint only while that savepoint still exists; if it does not, or a release
 * or the commit fails, the whole transaction counts as lost: every job in it fails (none is ever
 * half stored: a batch's key and samples are written by one job), and the connection is closed,
 * which rolls back whatever SQLite still held, and opened afresh. Until a transaction commits
 * again the archive reports itself unwritable ({@link #problem}); the next push or, when none
 * comes, a one-row probe write every {@code probePeriod} finds out when the disk takes writes again.
 */
final class GroupCommitWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);
    /** Per transaction: enough to amortise the fsync, small enough to ack the first job soon. */
    private static final int MAX_JOBS_PER_TRANSACTION = 512;
    private static final long MAX_BYTES_PER_TRANSACTION = 16L * 1024 * 1024;

    /** Why the archive cannot write, since when (one line for {@code /-/ready}). */
    private record Unwritable(ArchiveWriteException.Kind kind, String reason, long sinceMillis, long sinceNanos) {}

    private final SqlDialect dialect;
    private final Partitions partitions;
    private final Clock clock;
    private final long probePeriodNanos;
    private final BlockingQueue<WriteJob> queue;
    private final long maxQueuedBytes;
    private final AtomicLong queuedBytes = new AtomicLong();
    private final Timer transactionTimer;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Unwritable unwritable;
    /** Null after a lost transaction until a reopen succeeds; used by the writer thread only. */
    private Connection connection;
    private WriteStatements statements;
    private long lastAttemptNanos = System.nanoTime();

    GroupCommitWriter(SqlDialect dialect, Partitions partitions, Clock clock, Duration probePeriod, int maxQueuedJobs,
            long maxQueuedBytes, Timer transactionTimer) throws SQLException {
        this.dialect = dialect;
        this.partitions = partitions;
        this.clock = clock;
        this.probePeriodNanos = probePeriod.toNanos();
        this.queue = new ArrayBlockingQueue<>(maxQueuedJobs);
        this.maxQueuedBytes = maxQueuedBytes;
        this.transactionTimer = transactionTimer;
        reopen();
        this.thread = new Thread(this::loop, "archive-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues {@code job}; false if the queue is full (in jobs or bytes) or closing. */
    boolean offer(WriteJob job) {
        if (!running) {
            return false;
        }
        long bytes = queuedBytes.addAndGet(job.bytes());
        if (bytes > maxQueuedBytes && bytes != job.bytes()) {
            queuedBytes.addAndGet(-job.bytes());
            return false;
        }
        if (!queue.offer(job)) {
            queuedBytes.addAndGet(-job.bytes());
            return false;
        }
        return true;
    }

    /** Queues a maintenance job, waiting for room: it must not be dropped. */
    void put(WriteJob job) throws InterruptedException {
        queuedBytes.addAndGet(job.bytes());
        queue.put(job);
    }

    int queued() {
        return queue.size();
    }

    /** Empty while the last transaction committed; else why the archive cannot write, as one line. */
    Optional<String> problem() {
        Unwritable u = unwritable;
        return u == null ? Optional.empty() : Optional.of("the archive cannot write since "
                + Instant.ofEpochMilli(u.sinceMillis()).truncatedTo(ChronoUnit.SECONDS) + ": " + u.reason());
    }

    private void loop() {
        List<WriteJob> jobs = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                WriteJob first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (running && unwritable != null && System.nanoTime() - lastAttemptNanos >= probePeriodNanos) {
                        transaction(List.of(new ProbeJob()));
                    }
                    continue;
                }
                if (first.outsideTransaction()) {
                    queuedBytes.addAndGet(-first.bytes());
                    outside(first);
                    continue;
                }
                jobs.add(first);
                long bytes = first.bytes();
                WriteJob layout = null;
                while (jobs.size() < MAX_JOBS_PER_TRANSACTION && bytes < MAX_BYTES_PER_TRANSACTION) {
                    WriteJob next = queue.poll();
                    if (next == null) {
                        break;
                    }
                    bytes += next.bytes();
                    if (next.outsideTransaction()) {
                        layout = next; // after the transaction it was queued behind
                        break;
                    }
                    jobs.add(next);
                }
                queuedBytes.addAndGet(-bytes);
                transaction(jobs);
                if (layout != null) {
                    outside(layout);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("archive writer: unexpected failure", e);
                ArchiveWriteException failure = new ArchiveWriteException(ArchiveWriteException.Kind.ERROR,
                        "archive writer failure: " + e, e);
                jobs.forEach(j -> j.failed(failure));
            } finally {
                jobs.clear();
            }
        }
    }

    /** Runs {@code jobs} in one transaction; each job ends committed or failed, exactly once. */
    private void transaction(List<WriteJob> jobs) {
        lastAttemptNanos = System.nanoTime();
        long start = lastAttemptNanos;
        if (connection == null) {
            try {
                reopen();
            } catch (SQLException e) {
                ArchiveWriteException failure = failure(e);
                unwritable(failure);
                jobs.forEach(j -> j.failed(failure));
                return;
            }
        }
        List<WriteJob> done = new ArrayList<>(jobs.size());
        ArchiveWriteException storageFailure = null;
        int next = 0;
        try {
            Set<Partition> needed = new TreeSet<>();
            for (WriteJob job : jobs) {
                needed.addAll(job.partitions());
            }
            statements.prepare(needed);
            int together = 0; // store jobs from next on that were stored together: done already
            int alone = 0; // store jobs from next on to store one at a time: together they failed
            for (; next < jobs.size(); next++) {
                WriteJob job = jobs.get(next);
                if (together == 0 && alone == 0 && dialect.storesTogether() && job.batch() != null) {
                    int n = storeTogether(jobs, next);
                    if (n > 0) {
                        together = n;
                    } else {
                        alone = -n;
                    }
                }
                if (together > 0) {
                    together--;
                    done.add(job);
                    continue;
                }
                if (alone > 0) {
                    alone--;
                }
                Savepoint savepoint = connection.setSavepoint();
                try {
                    job.run(statements);
                } catch (SQLException | RuntimeException e) {
                    statements.undone();
                    undo(savepoint, e);
                    ArchiveWriteException failure = failure(e);
                    if (failure.kind() == ArchiveWriteException.Kind.FULL) {
                        storageFailure = failure;
                        unwritable(failure); // before the push is answered 503: /-/ready agrees with it
                        log.debug("archive: one write failed and was undone: {}", e.toString());
                    } else {
                        log.warn("archive: one write failed and was undone: {}", e.toString());
                    }
                    job.failed(failure);
                    continue;
                }
                connection.releaseSavepoint(savepoint);
                done.add(job);
            }
            connection.commit();
            statements.committed();
        } catch (SQLException e) {
            ArchiveWriteException failure = failure(e);
            log.debug("archive: transaction of {} jobs lost: {}", jobs.size(), e.toString());
            unwritable(failure);
            reset();
            done.forEach(j -> j.failed(failure));
            jobs.subList(next, jobs.size()).forEach(j -> j.failed(failure));
            return;
        } finally {
            transactionTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
        if (storageFailure == null && !done.isEmpty()) {
            writable();
        }
        done.forEach(WriteJob::committed);
    }

    /**
     * Stores the run of store jobs from {@code from} on together ({@link WriteStatements#storeAll}),
     * under one savepoint. Returns how many it stored; 0 when there was only one; or minus their
     * number when storing them together failed and was undone: the caller then stores them one at a
     * time, so that only a bad one fails. Throws when the undo failed (the transaction is lost).
     */
    private int storeTogether(List<WriteJob> jobs, int from) throws SQLException {
        int to = from;
        while (to < jobs.size() && jobs.get(to).batch() != null) {
            to++;
        }
        if (to - from < 2) {
            return 0;
        }
        List<WriteJob> run = jobs.subList(from, to);
        List<ArchiveBatch> batches = new ArrayList<>(run.size());
        run.forEach(j -> batches.add(j.batch()));
        // When they are the whole transaction, a failure rolls it all back: no savepoint, two round trips fewer.
        boolean whole = from == 0 && to == jobs.size();
        Savepoint savepoint = whole ? null : connection.setSavepoint();
        List<StoreResult> results;
        try {
            results = statements.storeAll(batches);
        } catch (SQLException | RuntimeException e) {
            statements.undone();
            if (whole) {
                rollback(e);
            } else {
                undo(savepoint, e);
            }
            log.debug("archive: {} pushes stored together failed ({}); storing them one at a time", batches.size(),
                    e.toString());
            return -run.size();
        }
        if (savepoint != null) {
            connection.releaseSavepoint(savepoint);
        }
        for (int i = 0; i < run.size(); i++) {
            run.get(i).stored(results.get(i));
        }
        return run.size();
    }

    /**
     * Runs a layout change alone, between transactions. A failure is the job's alone: the
     * connection is reset, since SQLite may have attached or detached part of what it was asked to.
     */
    private void outside(WriteJob job) {
        lastAttemptNanos = System.nanoTime();
        try {
            if (connection == null) {
                reopen();
            }
            job.run(statements);
        } catch (SQLException | RuntimeException e) {
            ArchiveWriteException failure = failure(e);
            log.warn("archive: a layout change failed: {}", failure.getMessage());
            reset();
            job.failed(failure);
            return;
        }
        job.committed();
    }

    /**
     * Undoes one job's writes. If SQLite already rolled back the whole transaction its savepoint
     * is gone, the rollback throws, and {@code cause} is rethrown to lose the transaction whole.
     */
    private void undo(Savepoint savepoint, Exception cause) throws SQLException {
        try {
            connection.rollback(savepoint);
            connection.releaseSavepoint(savepoint);
        } catch (SQLException gone) {
            SQLException lost = cause instanceof SQLException s ? s : new SQLException(cause.toString(), cause);
            lost.addSuppressed(gone);
            throw lost;
        }
    }

    /** Rolls the whole transaction back; if that fails, {@code cause} is rethrown to lose it. */
    private void rollback(Exception cause) throws SQLException {
        try {
            connection.rollback();
        } catch (SQLException gone) {
            SQLException lost = cause instanceof SQLException s ? s : new SQLException(cause.toString(), cause);
            lost.addSuppressed(gone);
            throw lost;
        }
    }

    private ArchiveWriteException failure(Exception e) {
        return e instanceof SQLException s ? new ArchiveWriteException(dialect.classify(s), oneLine(s), s)
                : new ArchiveWriteException(ArchiveWriteException.Kind.ERROR, e.toString(), e);
    }

    private static String oneLine(SQLException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.replace('\n', ' ');
    }

    /** Drops the connection (closing it rolls back what SQLite still holds) and opens a new one. */
    private void reset() {
        try {
            connection.close();
        } catch (SQLException e) {
            log.debug("archive: closing the write connection failed: {}", e.toString());
        }
        connection = null;
        statements = null;
        try {
            reopen();
        } catch (SQLException e) {
            log.debug("archive: reopening the write connection failed, retried with the next write: {}", e.toString());
        }
    }

    private void reopen() throws SQLException {
        Connection c = dialect.connect(true);
        try {
            c.setAutoCommit(false);
            statements = new WriteStatements(c, dialect, partitions);
        } catch (SQLException e) {
            try {
                c.close();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        connection = c;
    }

    private void unwritable(ArchiveWriteException failure) {
        String reason = failure.getMessage() + (failure.kind() == ArchiveWriteException.Kind.FULL
                ? "; free space on the filesystem of " + dialect.describe()
                : "; see the collector's log");
        Unwritable before = unwritable;
        unwritable = before == null ? new Unwritable(failure.kind(), reason, clock.millis(), System.nanoTime())
                : new Unwritable(failure.kind(), reason, before.sinceMillis(), before.sinceNanos());
        if (before == null) {
            log.error("archive cannot write: {}. Pushes get 503 and /-/ready 503 until a write succeeds;"
                    + " every push and a probe every {} ms try again", reason, TimeUnit.NANOSECONDS.toMillis(probePeriodNanos));
        }
    }

    private void writable() {
        Unwritable before = unwritable;
        if (before != null) {
            unwritable = null;
            log.warn("archive {} writes again after {} s unwritable", dialect.describe(),
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - before.sinceNanos()));
        }
    }

    /** Refuses new jobs, commits the queued ones, and closes the connection. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<WriteJob> stranded = new ArrayList<>();
        queue.drainTo(stranded);
        ArchiveWriteException closing = new ArchiveWriteException(ArchiveWriteException.Kind.ERROR,
                "the archive is closing", null);
        stranded.forEach(j -> j.failed(closing));
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                log.warn("archive: closing the write connection failed: {}", e.toString());
            }
        }
    }

    /** Rewrites one row: the smallest write that tells whether the disk takes writes again. */
    private final class ProbeJob implements WriteJob {
        @Override
        public void run(WriteStatements s) throws SQLException {
            s.probe(clock.millis());
        }

        @Override
        public void committed() {}

        @Override
        public void failed(ArchiveWriteException cause) {}

        @Override
        public long bytes() {
            return 0;
        }
    }
}
