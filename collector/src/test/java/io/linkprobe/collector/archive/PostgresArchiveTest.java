package io.linkprobe.collector.archive;

import io.linkprobe.collector.pg.PostgresServer;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

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
}
