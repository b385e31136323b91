package io.linkprobe.collector.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.linkprobe.collector.pg.PostgresServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The archive contract on a real PostgreSQL 15 that the test starts, a new database per test. */
class PostgresArchiveTest extends ArchiveContract {
    static PostgresServer server;
    String url;

    @BeforeAll
    static void server() throws Exception {
        String why = PostgresServer.unavailableReason();
        if (why != null) {
            System.out.println("PostgresArchiveTest skipped: " + why);
        }
        Assumptions.assumeTrue(why == null, why);
        server = PostgresServer.shared();
    }

    @BeforeEach
    void database() throws Exception {
        url = server.newDatabase();
    }

    @Override
    JdbcArchive open(ArchiveRetention retention) throws Exception {
        return reopen(retention);
    }

    @Override
    JdbcArchive reopen(ArchiveRetention retention) throws Exception {
        return JdbcArchive.openPostgres(url, null, retention, clock, transactions);
    }

    @Override
    List<ArchiveDump.Push> dump() throws Exception {
        return ArchiveDump.postgres(url, null);
    }

    /**
     * Pushes queued while the writer is busy are stored together in its next transaction (a fixed
     * number of statements, {@link WriteStatements#storeAll}) with the same outcomes as one at a
     * time: a key twice among them is stored once (the second a duplicate), a key stored before for
     * another site is a conflict, and one push the database refuses (a NUL in its site) fails alone
     * while the others are stored.
     */
    @Test
    void pushesQueuedTogetherAreStoredTogetherAndABadOneFailsAlone() throws Exception {
        try (JdbcArchive a = open(ArchiveRetention.DEFAULT)) {
            long now = clock.millis();
            assertEquals(StoreResult.Outcome.STORED,
                    a.store(batch("gp0", "agent-0", 7, now, windows(now, 2, 0))).get(60, TimeUnit.SECONDS).outcome());
            java.util.concurrent.CountDownLatch busy = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            Thread blocker = new Thread(() -> {
                try {
                    WriteTask.runAndWait(a.writer(), st -> {
                        busy.countDown();
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            blocker.start();
            busy.await();
            List<CompletableFuture<StoreResult>> results = new ArrayList<>();
            for (int i = 1; i <= 40; i++) {
                results.add(a.store(batch("gp" + i % 8, "agent-" + i % 8, i, now, windows(now - i, 2, i))));
            }
            ArchiveBatch good = batch("gp3", "agent-3", 3, now, windows(now - 3, 2, 3));
            CompletableFuture<StoreResult> again = a.store(good); // the same key as i = 3, same site
            CompletableFuture<StoreResult> elsewhere = a.store(batch("gp9", "agent-0", 7, now, windows(now, 2, 9)));
            // PostgreSQL refuses a NUL in text: this push cannot be stored, the others can.
            CompletableFuture<StoreResult> bad = a.store(batch("gp\u0000bad", "agent-5", 1_000, now, windows(now, 2, 5)));
            results.add(a.store(batch("gp6", "agent-6", 41, now, windows(now - 41, 2, 41))));
            release.countDown();
            blocker.join();
            for (CompletableFuture<StoreResult> r : results) {
                assertEquals(StoreResult.Outcome.STORED, r.get(60, TimeUnit.SECONDS).outcome());
            }
            assertEquals(StoreResult.Outcome.DUPLICATE, again.get(60, TimeUnit.SECONDS).outcome());
            assertEquals(StoreResult.Outcome.CONFLICT, elsewhere.get(60, TimeUnit.SECONDS).outcome());
            java.util.concurrent.ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(
                    java.util.concurrent.ExecutionException.class, () -> bad.get(60, TimeUnit.SECONDS));
            org.junit.jupiter.api.Assertions.assertInstanceOf(ArchiveWriteException.class, failed.getCause());
            Map<String, Integer> all = keys();
            assertEquals(42, all.size(), "agent-0/7 and the 41 queued keys, each once: " + all.keySet());
            assertEquals(33, a.ackedSequence("agent-1"), "agent-1 pushed 1, 9, ..., 33");
            assertEquals(40, a.ackedSequence("agent-0"));
            assertEquals(41, a.ackedSequence("agent-6"));
            assertEquals(37, a.ackedSequence("agent-5"), "the refused push of agent-5 did not raise its acked sequence");
        }
    }

    /**
     * Two collectors sharing the database, each storing the same pushes at the same moment (an
     * agent's replay racing its original): every key is stored once, one collector answers it
     * stored and the other duplicate, and the acked sequence only rises.
     */
    @Test
    void twoWritersRacingOnTheSameKeysStoreEachOnce() throws Exception {
        int keys = 300;
        try (JdbcArchive a = open(ArchiveRetention.DEFAULT); JdbcArchive b = reopen(ArchiveRetention.DEFAULT)) {
            List<CompletableFuture<StoreResult>> fromA = new ArrayList<>();
            List<CompletableFuture<StoreResult>> fromB = new ArrayList<>();
            for (int seq = 0; seq < keys; seq++) {
                ArchiveBatch batch = batch("gp1", "agent-1", seq, clock.millis(), windows(clock.millis(), 2, seq));
                fromA.add(a.store(batch));
                fromB.add(b.store(batch));
            }
            int stored = 0;
            for (int seq = 0; seq < keys; seq++) {
                StoreResult.Outcome x = fromA.get(seq).get(60, TimeUnit.SECONDS).outcome();
                StoreResult.Outcome y = fromB.get(seq).get(60, TimeUnit.SECONDS).outcome();
                assertEquals(java.util.Set.of(StoreResult.Outcome.STORED, StoreResult.Outcome.DUPLICATE),
                        java.util.Set.of(x, y), "key " + seq + ": one stored, one duplicate");
                stored++;
            }
            Map<String, Integer> all = keys();
            assertEquals(keys, all.size());
            all.values().forEach(n -> assertEquals(2, n));
            assertEquals(keys - 1, a.ackedSequence("agent-1"));
            assertEquals(keys - 1, b.ackedSequence("agent-1"));
            System.out.printf("PostgresArchiveTest: two writers raced on %d keys: %d stored once each, 0 twice%n",
                    keys, stored);
        }
    }
}
