package io.linkprobe.agent.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.common.wire.AgentHealth;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteSpoolTest {

    private static AgentHealth sample(long t) {
        return new AgentHealth(t, 0, 0, 0, 0, 0);
    }

    @Test
    void batchIsRemovedOnlyWhenAcked(@TempDir Path dir) throws Exception {
        try (SqliteSpool spool = SqliteSpool.open(dir.resolve("s.db"), 1 << 20, 0)) {
            for (int i = 0; i < 5; i++) {
                spool.add(sample(i));
            }
            Outbox.Batch b = spool.nextBatch(3).orElseThrow();
            assertEquals(List.of(0L, 1L, 2L), b.samples().stream().map(s -> s.endEpochMillis()).toList());
            assertEquals(b, spool.nextBatch(3).orElseThrow(), "an unacked batch is offered again, same sequence");
            spool.remove(b.sequence());
            Outbox.Batch next = spool.nextBatch(3).orElseThrow();
            assertTrue(next.sequence() > b.sequence());
            assertEquals(2, next.samples().size());
            spool.remove(next.sequence());
            assertTrue(spool.nextBatch(3).isEmpty());
            assertEquals(0, spool.pendingSamples());
        }
    }

    @Test
    void reopenedSpoolOffersTheSameBatchUnderTheSameSequence(@TempDir Path dir) throws Exception {
        Outbox.Batch before;
        try (SqliteSpool spool = SqliteSpool.open(dir.resolve("s.db"), 1 << 20, 0)) {
            spool.add(sample(1));
            spool.add(sample(2));
            before = spool.nextBatch(10).orElseThrow();
            spool.add(sample(3));
        }
        try (SqliteSpool again = SqliteSpool.open(dir.resolve("s.db"), 1 << 20, 0)) {
            assertEquals(3, again.pendingSamples());
            assertEquals(before, again.nextBatch(10).orElseThrow());
        }
    }

    @Test
    void fullSpoolDropsOldestFirstAndTheCountSurvivesRestart(@TempDir Path dir) throws Exception {
        long oneSample = io.linkprobe.common.wire.Json.mapper().writeValueAsBytes((io.linkprobe.common.wire.Sample) sample(10)).length;
        try (SqliteSpool spool = SqliteSpool.open(dir.resolve("s.db"), oneSample * 3, 0)) {
            for (int i = 10; i < 15; i++) {
                spool.add(sample(i));
            }
            assertEquals(2, spool.droppedTotal());
            assertEquals(12, spool.nextBatch(10).orElseThrow().samples().get(0).endEpochMillis());
        }
        try (SqliteSpool again = SqliteSpool.open(dir.resolve("s.db"), oneSample * 3, 0)) {
            assertEquals(2, again.droppedTotal());
        }
    }

    @Test
    void shrinkKeepsTheHeadUnderItsSequenceAndRequeuesTheRestInOrder(@TempDir Path dir) throws Exception {
        try (SqliteSpool spool = SqliteSpool.open(dir.resolve("s.db"), 1 << 20, 0)) {
            for (int i = 0; i < 6; i++) {
                spool.add(sample(i));
            }
            Outbox.Batch b = spool.nextBatch(6).orElseThrow();
            spool.shrink(b.sequence(), 2);
            Outbox.Batch head = spool.nextBatch(6).orElseThrow();
            assertEquals(b.sequence(), head.sequence());
            assertEquals(2, head.samples().size());
            spool.remove(head.sequence());
            assertEquals(List.of(2L, 3L, 4L, 5L),
                    spool.nextBatch(6).orElseThrow().samples().stream().map(s -> s.endEpochMillis()).toList());
        }
    }

    @Test
    void sequencesKeepIncreasingAcrossRestartsEvenWhenTheClockGoesBack(@TempDir Path dir) throws Exception {
        AtomicLong clock = new AtomicLong(5_000);
        LongSupplier wallClock = clock::get;
        try (SqliteSpool spool = SqliteSpool.open(dir.resolve("s.db"), 1 << 20, 0, wallClock)) {
            spool.add(sample(1));
            assertEquals(5_000, spool.nextBatch(10).orElseThrow().sequence(), "the wall clock when it is ahead");
            spool.remove(5_000);
            spool.add(sample(2));
            assertEquals(5_001, spool.nextBatch(10).orElseThrow().sequence(), "one more within the same millisecond");
            spool.remove(5_001);
        }
        clock.set(1_000);
        try (SqliteSpool again = SqliteSpool.open(dir.resolve("s.db"), 1 << 20, 0, wallClock)) {
            assertEquals(0, again.pendingSamples(), "every batch was acked: only the sequence is left");
            again.add(sample(3));
            assertEquals(5_002, again.nextBatch(10).orElseThrow().sequence(), "above the last one, not the clock");
        }
    }

    @Test
    void aSequenceFloorOnlyEverRaisesTheSequence(@TempDir Path dir) throws Exception {
        LongSupplier stoppedClock = () -> 0;
        try (SqliteSpool spool = SqliteSpool.open(dir.resolve("s.db"), 1 << 20, 9_000, stoppedClock)) {
            assertEquals(9_000, spool.lastSequence());
            spool.add(sample(1));
            spool.remove(spool.nextBatch(10).orElseThrow().sequence());
        }
        try (SqliteSpool again = SqliteSpool.open(dir.resolve("s.db"), 1 << 20, 7_000, stoppedClock)) {
            assertEquals(9_001, again.lastSequence(), "a lower floor (a stale file) changes nothing");
        }
    }

    /**
     * A separate JVM forms a batch and is killed with SIGKILL before any ack: the restarted spool
     * offers the same batch under the same sequence (the collector then stores it once), and the
     * next batch gets a higher one.
     */
    @Test
    void aBatchFormedBeforeKillMinusNineIsReplayedUnderTheSameSequence(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("s.db");
        Process p = child(BatchFormer.class, db);
        long formed = -1;
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("formed ")) {
                    formed = Long.parseLong(line.substring(7).trim());
                    break;
                }
            }
            p.destroyForcibly();
            assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        }
        assertTrue(formed > 0, "the child never formed its batch");
        try (SqliteSpool spool = SqliteSpool.open(db, 1 << 20, 0)) {
            Outbox.Batch replay = spool.nextBatch(10).orElseThrow();
            assertEquals(formed, replay.sequence());
            assertEquals(List.of(1L, 2L, 3L), replay.samples().stream().map(s -> s.endEpochMillis()).toList());
            spool.remove(replay.sequence());
            spool.add(sample(4));
            assertTrue(spool.nextBatch(10).orElseThrow().sequence() > formed);
        }
    }

    private static Process child(Class<?> main, Path db) throws java.io.IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                main.getName(), db.toString()).redirectErrorStream(true).start();
    }

    /** Child process: spools three results, forms a batch of them, says its sequence and waits to be killed. */
    public static final class BatchFormer {
        public static void main(String[] args) throws Exception {
            SqliteSpool spool = SqliteSpool.open(Path.of(args[0]), 1 << 20, 0);
            for (long i = 1; i <= 3; i++) {
                spool.add(sample(i));
            }
            System.out.println("formed " + spool.nextBatch(10).orElseThrow().sequence());
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    /** A separate JVM spools results and is killed with SIGKILL; every committed result is still there. */
    @Test
    void resultsSurviveKillMinusNine(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("s.db");
        Process p = child(SpoolWriter.class, db);
        var out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()));
        String line;
        long written = -1;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("written ")) {
                written = Long.parseLong(line.substring(8).trim());
                if (written >= 200) {
                    break;
                }
            }
        }
        p.destroyForcibly();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertTrue(written >= 200, "the writer never reported 200 results");
        try (SqliteSpool spool = SqliteSpool.open(db, 64L << 20, 0)) {
            assertTrue(spool.pendingSamples() >= written,
                    "spool holds " + spool.pendingSamples() + " but " + written + " were committed before the kill");
        }
    }

    /** Child process for the kill -9 test: adds results forever, printing how many are committed. */
    public static final class SpoolWriter {
        public static void main(String[] args) throws Exception {
            SqliteSpool spool = SqliteSpool.open(Path.of(args[0]), 64L << 20, 0);
            for (long i = 1; ; i++) {
                spool.add(sample(i));
                System.out.println("written " + i);
                System.out.flush();
            }
        }
    }
}
