package io.linkprobe.collector.upgrades;

import io.linkprobe.collector.archive.ArchiveRetention;
import io.linkprobe.collector.archive.JdbcArchive;
import io.linkprobe.collector.pg.PostgresServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/** The seeded set on a real PostgreSQL 15 the test starts ({@link PostgresServer}). */
class PostgresSeededUpgradesTest extends SeededUpgradesContract {
    static PostgresServer server;

    @BeforeAll
    static void server() throws Exception {
        String why = PostgresServer.unavailableReason();
        if (why != null) {
            System.out.println("PostgresSeededUpgradesTest skipped: " + why);
        }
        Assumptions.assumeTrue(why == null, why);
        server = PostgresServer.shared();
    }

    @Override
    JdbcArchive open() throws Exception {
        return JdbcArchive.openPostgres(server.newDatabase(), null, ArchiveRetention.DEFAULT, clock, transactions);
    }

    @Override
    String engine() {
        return "PostgreSQL";
    }
}
