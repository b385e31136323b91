package io.linkprobe.agent.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.common.wire.AgentHealth;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteSpoolTest {
    private final AtomicLong seq = new AtomicLong(1000);

    private static AgentHealth sample(long t) {
        return new AgentHealth(t, 0, 0, 0, 0, 0);
    }

    @Test
    void batchIsRemovedOnlyWhenAcked(@TempDir Path dir) throws Exception {
        try (SqliteSpool spool = SqliteSpool.open(dir.resolve("s.db"), 1 << 20, seq::incrementAndGet)) {
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
        try (SqliteSpool spool = SqliteSpool.open(dir.resolve("s.db"), 1 << 20, seq::incrementAndGet)) {
            spool.add(sample(1));
            spool.add(sample(2));
            before = spool.nextBatch(10).orElseThrow();
            spool.add(sample(3));
        }
        try (SqliteSpool again = SqliteSpool.open(dir.resolve("s.db"), 1 << 20, seq::incrementAndGet)) {
            assertEquals(3, again.pendingSamples());
            assertEquals(before, again.nextBatch(10).orElseThrow());
        }
    }

    @Test
    void fullSpoolDropsOldestFirstAndTheCountSurvivesRestart(@TempDir Path dir) throws Exception {
        long oneSample = io.linkprobe.common.wire.Json.mapper().writeValueAsBytes((io.linkprobe.common.wire.Sample) sample(10)).length;
        try (SqliteSpool spool = SqliteSpool.open(dir.resolve("s.db"), oneSample * 3, seq::incrementAndGet)) {
            for (int i = 10; i < 15; i++) {
                spool.add(sample(i));
            }
            assertEquals(2, spool.droppedTotal());
            assertEquals(12, spool.nextBatch(10).orElseThrow().samples().get(0).endEpochMillis());
        }
        try (SqliteSpool again = SqliteSpool.open(dir.resolve("s.db"), oneSample * 3, seq::incrementAndGet)) {
            assertEquals(2, again.droppedTotal());
        }
    }

    @Test
    void shrinkKeepsTheHeadUnderItsSequenceAndRequeuesTheRestInOrder(@TempDir Path dir) throws Exception {
        try (SqliteSpool spool = SqliteSpool.open(dir.resolve("s.db"), 1 << 20, seq::incrementAndGet)) {
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

    /** A separate JVM spools results and is killed with SIGKILL; every committed result is still there. */
    @Test
    void resultsSurviveKillMinusNine(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("s.db");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                SpoolWriter.class.getName(), db.toString()).redirectErrorStream(true).start();
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
        try (SqliteSpool spool = SqliteSpool.open(db, 64L << 20, seq::incrementAndGet)) {
            assertTrue(spool.pendingSamples() >= written,
                    "spool holds " + spool.pendingSamples() + " but " + written + " were committed before the kill");
        }
    }

    /** Child process for the kill -9 test: adds results forever, printing how many are committed. */
    public static final class SpoolWriter {
        public static void main(String[] args) throws Exception {
            AtomicLong s = new AtomicLong();
            SqliteSpool spool = SqliteSpool.open(Path.of(args[0]), 64L << 20, s::incrementAndGet);
            for (long i = 1; ; i++) {
                spool.add(sample(i));
                System.out.println("written " + i);
                System.out.flush();
            }
        }
    }
}
