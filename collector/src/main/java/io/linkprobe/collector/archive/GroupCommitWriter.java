package io.linkprobe.collector.archive;

import io.micrometer.core.instrument.Timer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
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
 */
final class GroupCommitWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);
    /** Per transaction: enough to amortise the fsync, small enough to ack the first job soon. */
    private static final int MAX_JOBS_PER_TRANSACTION = 512;
    private static final long MAX_BYTES_PER_TRANSACTION = 16L * 1024 * 1024;

    private final Connection connection;
    private final BlockingQueue<WriteJob> queue;
    private final long maxQueuedBytes;
    private final AtomicLong queuedBytes = new AtomicLong();
    private final Timer transactionTimer;
    private final Thread thread;
    private volatile boolean running = true;

    GroupCommitWriter(Connection connection, int maxQueuedJobs, long maxQueuedBytes, Timer transactionTimer)
            throws SQLException {
        this.connection = connection;
        this.queue = new ArrayBlockingQueue<>(maxQueuedJobs);
        this.maxQueuedBytes = maxQueuedBytes;
        this.transactionTimer = transactionTimer;
        connection.setAutoCommit(false);
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

    private void loop() {
        List<WriteJob> jobs = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                WriteJob first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                jobs.add(first);
                long bytes = first.bytes();
                while (jobs.size() < MAX_JOBS_PER_TRANSACTION && bytes < MAX_BYTES_PER_TRANSACTION) {
                    WriteJob next = queue.poll();
                    if (next == null) {
                        break;
                    }
                    jobs.add(next);
                    bytes += next.bytes();
                }
                queuedBytes.addAndGet(-bytes);
                commit(jobs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("archive writer: unexpected failure", e);
                jobs.forEach(j -> j.failed(e));
            } finally {
                jobs.clear();
            }
        }
    }

    private void commit(List<WriteJob> jobs) {
        long start = System.nanoTime();
        List<WriteJob> done = new ArrayList<>(jobs.size());
        try {
            for (WriteJob job : jobs) {
                Savepoint savepoint = connection.setSavepoint();
                try {
                    job.run(connection);
                    connection.releaseSavepoint(savepoint);
                    done.add(job);
                } catch (SQLException | RuntimeException e) {
                    connection.rollback(savepoint);
                    connection.releaseSavepoint(savepoint);
                    log.warn("archive: one write failed and was undone: {}", e.toString());
                    job.failed(e);
                }
            }
            connection.commit();
        } catch (SQLException e) {
            log.error("archive: commit of {} pushes failed", done.size(), e);
            try {
                connection.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            done.forEach(j -> j.failed(e));
            return;
        } finally {
            transactionTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
        done.forEach(WriteJob::committed);
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
        stranded.forEach(j -> j.failed(new IllegalStateException("the archive is closing")));
        try {
            connection.close();
        } catch (SQLException e) {
            log.warn("archive: closing the write connection failed: {}", e.toString());
        }
    }
}
