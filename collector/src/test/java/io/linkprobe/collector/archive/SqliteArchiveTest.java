package io.linkprobe.collector.archive;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/** The archive contract on SQLite: a main file and a directory of partition files. */
class SqliteArchiveTest extends ArchiveContract {
    @TempDir
    Path dir;

    @Override
    JdbcArchive open(ArchiveRetention retention) throws Exception {
        return reopen(retention);
    }

    @Override
    JdbcArchive reopen(ArchiveRetention retention) throws Exception {
        return JdbcArchive.openSqlite(dir.resolve("a.db"), retention, clock, transactions);
    }

    @Override
    List<ArchiveDump.Push> dump() throws Exception {
        return ArchiveDump.sqlite(dir.resolve("a.db"));
    }
}
