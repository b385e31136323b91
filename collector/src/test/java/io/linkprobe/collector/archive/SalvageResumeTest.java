package io.linkprobe.collector.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.collector.MutableClock;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A salvage that a stop interrupted carries on from its last committed chunk when the archive
 * opens again: here of a raw partition file moved aside, whose pushes are copied whole.
 */
class SalvageResumeTest {
    @TempDir
    Path dir;
    final MutableClock clock = MutableClock.now();
    final Timer timer = Timer.builder("tx").register(new SimpleMeterRegistry());

    @Test
    void interruptedSalvageResumesAfterItsLastCommittedChunkAndCopiesTheRestOnce() throws Exception {
        Path oldArchive = dir.resolve("old/a.db");
        try (JdbcArchive old = JdbcArchive.openSqlite(oldArchive, ArchiveRetention.DEFAULT, clock, timer)) {
            for (int seq = 1; seq <= 30; seq++) {
                old.store(ArchiveContract.batch("s", "x", seq, clock.millis(), ArchiveContract.windows(clock.millis(), 5, seq)))
                        .get(10, TimeUnit.SECONDS);
            }
        }
        Path moved = dir.resolve("raw.db.corrupt-20260101T000000Z");
        Files.copy(SqliteDialect.partitionFile(oldArchive, Partition.raw(clock.millis())), moved);
        long afterBatch10;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + moved);
                ResultSet rs = c.createStatement().executeQuery("SELECT max(id) FROM pushes WHERE sequence <= 10")) {
            assertTrue(rs.next());
            afterBatch10 = rs.getLong(1);
        }
        Path file = dir.resolve("a.db");
        long recovered = clock.millis() - 60_000;
        try (JdbcArchive fresh = JdbcArchive.openSqlite(file, ArchiveRetention.DEFAULT, clock, timer);
                Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            // As a stop after the chunk that ended with batch 10 left it (those 10 are not copied
            // here, so that what the resumed run copies is seen alone).
            Recoveries.insert(c, moved, recovered, "test", 0, 30, 1, false);
            Recoveries.update(c, moved, new Salvage.State(afterBatch10, 0, false, 10, 50, 0, 0, 0, 0, false));
        }

        try (JdbcArchive resumed = JdbcArchive.openSqlite(file, ArchiveRetention.DEFAULT, clock, timer)) {
            assertEquals(recovered, resumed.lastRecoveryMillis(), "the recovery stays visible after a restart");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!finished(file) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(finished(file));
            assertEquals(30, resumed.ackedSequence("x"));
        }
        // Read once the archive is closed: its writer has then returned from the last chunk's commit.
        // While it runs, a reader can see that commit's 'finished' in the main file before the pushes
        // in the partition file: SQLite commits a transaction over attached WAL databases one file at
        // a time (each atomic, not the set), and with synchronous=FULL each waits for its fsync.
        List<Long> sequences = new ArrayList<>();
        for (ArchiveDump.Push p : ArchiveDump.sqlite(file)) {
            assertEquals(5, p.samples().size(), "batch " + p.sequence() + " whole");
            sequences.add(p.sequence());
        }
        sequences.sort(null);
        assertEquals(java.util.stream.LongStream.rangeClosed(11, 30).boxed().toList(), sequences);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                ResultSet rs = c.createStatement().executeQuery("SELECT batches, samples FROM recoveries")) {
            assertTrue(rs.next());
            assertEquals(30, rs.getLong(1), "10 before the stop, 20 after");
            assertEquals(150, rs.getLong(2));
        }
        assertTrue(Files.exists(moved), "the moved file is left for the operator");
    }

    private static boolean finished(Path file) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                ResultSet rs = c.createStatement().executeQuery("SELECT finished FROM recoveries")) {
            return rs.next() && rs.getInt(1) == 1;
        }
    }
}
