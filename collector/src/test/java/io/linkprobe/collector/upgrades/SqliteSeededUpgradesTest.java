package io.linkprobe.collector.upgrades;

import io.linkprobe.collector.archive.ArchiveRetention;
import io.linkprobe.collector.archive.JdbcArchive;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteSeededUpgradesTest extends SeededUpgradesContract {
    @TempDir
    Path dir;

    @Override
    JdbcArchive open() throws Exception {
        return JdbcArchive.openSqlite(dir.resolve("archive.db"), ArchiveRetention.DEFAULT, clock, transactions);
    }

    @Override
    String engine() {
        return "SQLite";
    }
}
