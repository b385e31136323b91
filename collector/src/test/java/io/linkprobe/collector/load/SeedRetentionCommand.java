package io.linkprobe.collector.load;

import io.linkprobe.collector.archive.ArchiveBatch;
import io.linkprobe.collector.archive.ArchiveRetention;
import io.linkprobe.collector.archive.JdbcArchive;
import io.linkprobe.collector.archive.Partition;
import io.linkprobe.collector.archive.SqliteDialect;
import io.linkprobe.common.wire.LatencyWindow;
import io.linkprobe.common.wire.Sample;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code seed-retention}: raw partitions of days past the default raw retention (20, 19, ... days
 * ago), each with pushes of one site that are rolled up, as a running collector would have left
 * them, and filled with incompressible rows to {@code --mib-per-day}, so that the collector's
 * first retention run (a minute after it starts) drops partitions of that size while the
 * benchmark pushes.
 */
@Command(name = "seed-retention", description = "Old raw partitions of a given size for the collector's retention to drop.")
final class SeedRetentionCommand implements Callable<Integer> {
    static final long DAY = 86_400_000L;
    private static final int ROW_BYTES = 64 * 1024;

    @Option(names = "--archive", description = "the SQLite archive (archive.path)")
    Path archive;

    @Option(names = "--url", description = "or the PostgreSQL archive (archive.url)")
    String url;

    @Option(names = "--days", defaultValue = "3")
    int days;

    @Option(names = "--mib-per-day", defaultValue = "100")
    int mibPerDay;

    @Override
    public Integer call() throws Exception {
        long today = Math.floorDiv(System.currentTimeMillis(), DAY) * DAY;
        Timer timer = Timer.builder("seed").register(new SimpleMeterRegistry());
        Random random = new Random(7);
        long bytes = 0;
        for (int d = 0; d < days; d++) {
            long day = today - (20 - d) * DAY;
            Clock at = Clock.fixed(Instant.ofEpochMilli(day + 23 * 3_600_000L), ZoneOffset.UTC);
            try (JdbcArchive a = open(at, timer)) {
                for (int seq = 0; seq < 60; seq++) {
                    long end = day + seq * 60_000L + 60_000;
                    a.store(ArchiveBatch.of("retention-seed", "retention-seed-agent", d * 1_000L + seq, day + 3_600_000,
                            "{\"site\":\"retention-seed\"}", List.<Sample>of(window(random, end)))).get(60, TimeUnit.SECONDS);
                }
                a.rollUp(); // as the hourly rollup would have, long before retention
            }
            bytes += pad(Partition.raw(day), day, random);
        }
        System.err.printf("seeded %d raw partitions past the raw retention, %.0f MiB in all%n", days, bytes / 1048576.0);
        return 0;
    }

    private JdbcArchive open(Clock clock, Timer timer) throws Exception {
        return url != null ? JdbcArchive.openPostgres(url, null, ArchiveRetention.DEFAULT, clock, timer)
                : JdbcArchive.openSqlite(archive, ArchiveRetention.DEFAULT, clock, timer);
    }

    /** Incompressible rows of an agent no name refers to, up to the partition's size. */
    private long pad(Partition p, long day, Random random) throws Exception {
        String jdbc = url != null ? url : "jdbc:sqlite:" + SqliteDialect.partitionFile(archive, p);
        String table = url != null ? "pushes_" + p.name().substring(4) : "pushes";
        int rows = (int) (mibPerDay * 1048576L / ROW_BYTES);
        byte[] data = new byte[ROW_BYTES];
        try (Connection c = DriverManager.getConnection(jdbc)) {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + table + " (agent, sequence, site,"
                    + " received_ms, first_end_ms, last_end_ms, kinds, samples, data) VALUES (-1, ?, -1, ?, ?, ?, 0, 0, ?)")) {
                for (int i = 0; i < rows; i++) {
                    random.nextBytes(data);
                    long t = day + 3_600_000 + i;
                    insert.setLong(1, i);
                    insert.setLong(2, t);
                    insert.setLong(3, t);
                    insert.setLong(4, t);
                    insert.setBytes(5, data);
                    insert.addBatch();
                    if (i % 64 == 63) {
                        insert.executeBatch();
                    }
                }
                insert.executeBatch();
            }
            c.commit();
        }
        if (url == null) {
            try (Connection c = DriverManager.getConnection(jdbc)) {
                c.createStatement().execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }
            return Files.size(SqliteDialect.partitionFile(archive, p));
        }
        return (long) rows * ROW_BYTES;
    }

    private static LatencyWindow window(Random random, long end) {
        int[] rtts = new int[300];
        for (int i = 0; i < rtts.length; i++) {
            rtts[i] = 8_000 + random.nextInt(2_000);
        }
        return new LatencyWindow("hub", end - 60_000, end, 300, 300, 0, 0, 0, 0,
                new LatencyWindow.RttSummary(8_000, 9_000, 9_800, 9_980, 9_999, 9_000), 300, null, null, 13_200,
                13_200, null, null, rtts);
    }
}
