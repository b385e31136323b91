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
