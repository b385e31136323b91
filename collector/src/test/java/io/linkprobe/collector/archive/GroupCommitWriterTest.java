package io.linkprobe.collector.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.collector.MutableClock;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The writer's failure paths, made deterministic: a job can do to the transaction what a full disk
 * does to it (SQLite rolls it back behind the driver's back), and a gate job holds the writer so
 * that the jobs under test are sure to share one transaction.
 */
class GroupCommitWriterTest {
    @TempDir
    Path dir;
    final MutableClock clock = MutableClock.now();
    final Timer timer = Timer.builder("tx").register(new SimpleMeterRegistry());
    SqliteDialect dialect;
    GroupCommitWriter writer;

    @BeforeEach
    void open() throws Exception {
        dialect = new SqliteDialect(dir.resolve("a.db"));
        try (Connection c = dialect.connect(true); Statement s = c.createStatement()) {
            for (String ddl : dialect.schema()) {
                s.execute(ddl);
            }
        }
        writer = new GroupCommitWriter(dialect, new Partitions(java.util.Set.of()), clock, Duration.ofMillis(200), 100,
                1 << 20, timer);
    }

    @AfterEach
    void close() {
        writer.close();
    }

    @Test
    void transactionRolledBackUnderTheDriverFailsEveryJobInItAndTheNextPushIsStored() throws Exception {
        Gate gate = new Gate();
        assertTrue(writer.offer(gate));
        gate.running.await(10, TimeUnit.SECONDS);
        Store before = new Store(batch("x", 1));
        Job lost = new Job(s -> {
            s.store(batch("x", 2));
            // What SQLITE_FULL may do: the whole transaction is gone, the connection in autocommit.
            try (Statement st = s.connection().createStatement()) {
                st.execute("ROLLBACK");
            }
            throw new SQLiteException("[SQLITE_FULL] database or disk is full", SQLiteErrorCode.SQLITE_FULL);
        });
        Store after = new Store(batch("x", 3));
        assertTrue(writer.offer(before) && writer.offer(lost) && writer.offer(after));
        gate.open.countDown();

        for (Job job : List.of(before, lost, after)) {
            ArchiveWriteException e = failure(job);
            assertEquals(ArchiveWriteException.Kind.FULL, e.kind(), e.getMessage());
        }
        assertTrue(after.problemWhenFailed.orElseThrow().contains("database or disk is full"),
                "not ready before the push is answered: " + after.problemWhenFailed);
        assertEquals(Map.of(), keysWithSampleCounts(), "nothing of the lost transaction is stored");

        Store next = new Store(batch("x", 2));
        assertTrue(writer.offer(next));
        assertEquals(StoreResult.Outcome.STORED, next.stored().outcome());
        assertEquals(Map.of("x/2", 3L), keysWithSampleCounts(), "stored whole, by a fresh connection");
        assertTrue(writer.problem().isEmpty(), "writable again");
    }

    @Test
    void oneBadBatchFailsAloneWhenTheTransactionSurvives() throws Exception {
        Gate gate = new Gate();
        assertTrue(writer.offer(gate));
        gate.running.await(10, TimeUnit.SECONDS);
        Store a = new Store(batch("a", 1));
        // A partial write then a failure: the key and one sample made it before the error.
        Job bad = new Job(s -> {
            s.store(batch("bad", 1));
            throw new SQLException("constraint failed");
        });
        Store b = new Store(batch("b", 1));
        assertTrue(writer.offer(a) && writer.offer(bad) && writer.offer(b));
        gate.open.countDown();

        assertEquals(StoreResult.Outcome.STORED, a.stored().outcome());
        assertEquals(StoreResult.Outcome.STORED, b.stored().outcome());
        assertEquals(ArchiveWriteException.Kind.ERROR, failure(bad).kind());
        assertEquals(Map.of("a/1", 3L, "b/1", 3L), keysWithSampleCounts(), "the bad batch left no key and no sample");
        assertTrue(writer.problem().isEmpty(), "one bad batch does not make the archive unwritable");
    }

    @Test
    void failedReleaseLosesTheTransactionAndTheProbeFindsTheArchiveWritableAgain() throws Exception {
        // A job that ends the transaction behind the driver's back: its savepoint is gone, so the
        // writer's release fails ("no such savepoint"), as after SQLITE_FULL in another statement.
        Job stray = new Job(s -> {
            try (Statement st = s.connection().createStatement()) {
                st.execute("ROLLBACK");
            }
        });
        assertTrue(writer.offer(stray));
        ArchiveWriteException e = failure(stray);
        assertEquals(ArchiveWriteException.Kind.ERROR, e.kind());
        assertTrue(stray.problemWhenFailed.isPresent(), "not ready before the job is answered");

        // No push comes: the probe (every 200 ms here) writes and clears the problem.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (writer.problem().isPresent() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(writer.problem().isEmpty(), "the probe write found the archive writable");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("a.db"));
                ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM writer_probe")) {
            assertTrue(rs.next() && rs.getLong(1) == 1);
        }
    }

    /** Three latency windows, received now (in today's raw partition, which the writer creates). */
    ArchiveBatch batch(String agent, long seq) {
        List<io.linkprobe.common.wire.Sample> samples = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            samples.add(io.linkprobe.common.testing.Samples.window("hub", 1_000 + i, new int[] {1_000 + i}, 0, 0));
        }
        return ArchiveBatch.of("s-" + agent, agent, seq, clock.millis(), "{}", samples);
    }

    static ArchiveWriteException failure(Job job) throws Exception {
        try {
            job.result.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return assertInstanceOf(ArchiveWriteException.class, e.getCause());
        }
        throw new AssertionError("the job was not failed");
    }

    /**
     * agent/sequence → number of samples, for every key in the archive (read by a connection of its
     * own). A key and its samples are one row; the dump checks that each row holds the samples it lists.
     */
    Map<String, Long> keysWithSampleCounts() throws SQLException {
        Map<String, Long> keys = new LinkedHashMap<>();
        for (ArchiveDump.Push p : ArchiveDump.sqlite(dir.resolve("a.db"))) {
            assertEquals(null, keys.put(p.key(), (long) p.samples().size()), "one row per key");
        }
        return keys;
    }

    interface Body {
        void run(WriteStatements s) throws SQLException;
    }

    class Job implements WriteJob {
        final CompletableFuture<Object> result = new CompletableFuture<>();
        volatile Optional<String> problemWhenFailed = Optional.empty();
        private final Body body;

        Job(Body body) {
            this.body = body;
        }

        @Override
        public void run(WriteStatements statements) throws SQLException {
            body.run(statements);
        }

        @Override
        public void committed() {
            assertFalse(result.isDone(), "completed once");
            result.complete("committed");
        }

        @Override
        public void failed(ArchiveWriteException cause) {
            assertFalse(result.isDone(), "completed once");
            problemWhenFailed = writer.problem();
            result.completeExceptionally(cause);
        }

        @Override
        public long bytes() {
            return 100;
        }
    }

    final class Store extends Job {
        private final ArchiveBatch batch;
        private volatile StoreResult outcome;

        Store(ArchiveBatch batch) {
            super(null);
            this.batch = batch;
        }

        @Override
        public void run(WriteStatements statements) throws SQLException {
            outcome = statements.store(batch);
        }

        @Override
        public java.util.Set<Partition> partitions() {
            return java.util.Set.of(batch.partition());
        }

        StoreResult stored() throws Exception {
            result.get(10, TimeUnit.SECONDS);
            return outcome;
        }
    }

    /** Holds the writer inside its transaction until {@link #open} is counted down. */
    final class Gate extends Job {
        final CountDownLatch running = new CountDownLatch(1);
        final CountDownLatch open = new CountDownLatch(1);

        Gate() {
            super(null);
        }

        @Override
        public void run(WriteStatements statements) throws SQLException {
            running.countDown();
            try {
                open.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
