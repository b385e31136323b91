package io.linkprobe.collector.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.collector.MutableClock;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbcArchiveTest {
    @TempDir
    Path dir;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final Timer transactions = Timer.builder("tx").register(registry);
    final MutableClock clock = MutableClock.now();

    JdbcArchive open() throws ArchiveException {
        return JdbcArchive.openSqlite(dir.resolve("a.db"), Duration.ofDays(30), clock, transactions);
    }

    static ArchiveBatch batch(String site, String agent, long seq, long endMillis, int rows) {
        List<ArchiveBatch.Row> samples = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            samples.add(new ArchiveBatch.Row("hub", "latency", endMillis, "{\"type\":\"latency\",\"i\":" + i + "}"));
        }
        return new ArchiveBatch(site, agent, seq, endMillis, "{\"site\":\"" + site + "\"}", samples);
    }

    @Test
    void concurrentPushesShareTransactions() throws Exception {
        try (JdbcArchive archive = open()) {
            List<CompletableFuture<StoreResult>> results = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                results.add(archive.store(batch("s" + i % 40, "agent-" + i % 40, i / 40, clock.millis(), 5)));
            }
            for (CompletableFuture<StoreResult> r : results) {
                assertEquals(StoreResult.Outcome.STORED, r.get(10, TimeUnit.SECONDS).outcome());
            }
            assertTrue(transactions.count() < 400, "group commit: " + transactions.count() + " transactions");
            assertEquals(50, archive.history("s3", 0, Long.MAX_VALUE, 1000).size());
            assertEquals(9, archive.ackedSequence("agent-3"));
        }
    }

    @Test
    void sameKeyIsDuplicateForItsSiteAndConflictForAnother() throws Exception {
        try (JdbcArchive archive = open()) {
            assertEquals(new StoreResult(StoreResult.Outcome.STORED, 5), archive.store(batch("a", "x", 5, 1, 2)).get());
            assertEquals(new StoreResult(StoreResult.Outcome.STORED, 5), archive.store(batch("a", "x", 3, 1, 2)).get(),
                    "an older sequence stored late does not lower the acked sequence");
            assertEquals(new StoreResult(StoreResult.Outcome.DUPLICATE, 5), archive.store(batch("a", "x", 5, 1, 2)).get());
            assertEquals(StoreResult.Outcome.CONFLICT, archive.store(batch("b", "x", 5, 1, 2)).get().outcome());
            assertEquals(4, archive.history("a", 0, Long.MAX_VALUE, 100).size());
            assertEquals(0, archive.history("b", 0, Long.MAX_VALUE, 100).size());
        }
    }

    @Test
    void keysAndAckedSequenceSurviveReopening() throws Exception {
        try (JdbcArchive archive = open()) {
            archive.store(batch("a", "x", 17, clock.millis(), 1)).get();
        }
        try (JdbcArchive archive = open()) {
            assertEquals(17, archive.ackedSequence("x"));
            assertEquals(StoreResult.Outcome.DUPLICATE, archive.store(batch("a", "x", 17, clock.millis(), 1)).get().outcome());
            assertEquals(List.of("a"), archive.knownSites().stream().map(KnownSite::site).toList());
        }
    }

    @Test
    void retentionDeletesOldRowsInChunksAndForgetsSilentSites() throws Exception {
        long old = clock.millis();
        try (JdbcArchive archive = open()) {
            for (int i = 0; i < 3; i++) {
                archive.store(batch("old", "o", i, old, WriteStatements.RETENTION_CHUNK)).get();
            }
            clock.advance(Duration.ofDays(31));
            archive.store(batch("new", "n", 1, clock.millis(), 3)).get();

            Set<String> forgotten = archive.enforceRetention().get(60, TimeUnit.SECONDS);

            assertEquals(Set.of("old"), forgotten);
            assertEquals(0, archive.history("old", 0, Long.MAX_VALUE, 10).size());
            assertEquals(3, archive.history("new", 0, Long.MAX_VALUE, 10).size());
            assertEquals(List.of("new"), archive.knownSites().stream().map(KnownSite::site).toList());
        }
    }

    @Test
    void fullQueueRefusesAtOnce() throws Exception {
        try (JdbcArchive archive = open()) {
            // A batch far larger than the byte bound fits only into an empty queue; the next is refused.
            long huge = JdbcArchive.MAX_QUEUED_BYTES;
            String json = "x".repeat((int) Math.min(Integer.MAX_VALUE - 64, huge / 2 + 1));
            ArchiveBatch big = new ArchiveBatch("a", "x", 1, 1, "{}", List.of(new ArchiveBatch.Row("t", "latency", 1, json),
                    new ArchiveBatch.Row("t", "latency", 1, json)));
            List<CompletableFuture<StoreResult>> accepted = new ArrayList<>();
            assertThrows(ArchiveOverloadedException.class, () -> {
                for (int i = 0; i < 3; i++) {
                    accepted.add(archive.store(new ArchiveBatch("a", "x", i, 1, "{}", big.samples())));
                }
            });
            for (CompletableFuture<StoreResult> r : accepted) {
                r.get(60, TimeUnit.SECONDS);
            }
        }
    }
}
