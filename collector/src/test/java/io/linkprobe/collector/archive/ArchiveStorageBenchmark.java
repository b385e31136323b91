package io.linkprobe.collector.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.linkprobe.collector.MutableClock;
import io.linkprobe.collector.pg.PostgresServer;
import io.linkprobe.common.testing.Samples;
import io.linkprobe.common.wire.AgentHealth;
import io.linkprobe.common.wire.ConnectResult;
import io.linkprobe.common.wire.Json;
import io.linkprobe.common.wire.LatencyWindow;
import io.linkprobe.common.wire.Sample;
import io.linkprobe.common.wire.ThroughputResult;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bytes per site per day in each archive tier at the default settings, on SQLite and (where it is
 * installed) PostgreSQL, and the archive projected for 10,000 sites at the default retentions.
 * A site is simulated for one UTC day as an agent at the defaults pushes it: every minute one 60 s
 * STAMP window towards its hub (300 probes at the default 200 ms, raw RTTs of a fibre-like link:
 * 8 ms floor, exponential queueing of 0.4 ms mean, a 30-80 ms spike in 1 % of probes, 0.1 % loss
 * each way), the six 10 s TCP connect probes of that minute, and the agent's health; every 4 h a
 * throughput test down and up with its 100 ms interval series and latency under load.
 *
 * <p>Run: {@code mvn -pl collector -am verify -Dtest=ArchiveStorageBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false -Dsurefire.excludedGroups=lab -DskipITs}
 * ({@code -Dlinkprobe.bench.sites=N}, default 20). Prints the figures; asserts only that every
 * push was stored.
 */
@Tag("load")
class ArchiveStorageBenchmark {
    static final long DAY = 86_400_000L;
    static final int SITES = Integer.getInteger("linkprobe.bench.sites", 20);
    static final long FLEET = 10_000;

    @TempDir
    Path dir;
    /** Encoded bytes per sample kind (each encoded alone, less the push header), over all sites. */
    final java.util.Map<Sample.Kind, Long> encodedByKind = new java.util.EnumMap<>(Sample.Kind.class);
    final Timer timer = Timer.builder("tx").register(new SimpleMeterRegistry());
    /** Midnight UTC: the simulated day is one raw partition. */
    final long day = Instant.parse("2026-03-10T00:00:00Z").toEpochMilli();

    @Test
    void bytesPerSitePerDayInEachTier() throws Exception {
        MutableClock clock = new MutableClock(day);
        long[] json = new long[1];
        try (JdbcArchive a = JdbcArchive.openSqlite(dir.resolve("a.db"), ArchiveRetention.DEFAULT, clock, timer)) {
            fill("SQLite", a, clock, json);
        }
        Path raw = SqliteDialect.partitionFile(dir.resolve("a.db"), Partition.raw(day));
        Path rollup = SqliteDialect.partitionFile(dir.resolve("a.db"), Partition.hourly(day));
        report("SQLite", Files.size(raw), Files.size(rollup), json[0]);
        StringBuilder kinds = new StringBuilder();
        encodedByKind.forEach((k, v) -> kinds.append(String.format(" %s %.1f KB", k.wireName(), v / (double) SITES / 1024)));
        System.out.println("  encoded samples per site per day by kind (each encoded alone):" + kinds);

        String why = PostgresServer.unavailableReason();
        if (why != null) {
            System.out.println("ArchiveStorageBenchmark: PostgreSQL part skipped: " + why);
            return;
        }
        PostgresServer server = PostgresServer.shared();
        String url = server.newDatabase();
        clock = new MutableClock(day);
        try (JdbcArchive a = JdbcArchive.openPostgres(url, null, ArchiveRetention.DEFAULT, clock, timer)) {
            fill("PostgreSQL", a, clock, new long[1]);
        }
        try (Connection c = new PostgresDialect(url, null).connect(false); Statement s = c.createStatement()) {
            s.execute("VACUUM ANALYZE");
            report("PostgreSQL", relationBytes(s, "pushes_" + Partition.raw(day).name().substring(4)),
                    relationBytes(s, "rollups_" + Partition.hourly(day).name().substring(7)), json[0]);
            String rawTable = "pushes_" + Partition.raw(day).name().substring(4);
            StringBuilder parts = new StringBuilder();
            try (ResultSet rs = s.executeQuery("SELECT pg_relation_size('" + rawTable + "'), coalesce(pg_total_relation_size("
                    + " (SELECT reltoastrelid FROM pg_class WHERE relname = '" + rawTable + "' AND reltoastrelid <> 0)), 0),"
                    + " (SELECT avg(octet_length(data)) FROM " + rawTable + "), (SELECT count(*) FROM " + rawTable + "),"
                    + " (SELECT relpages FROM pg_class WHERE relname = '" + rawTable + "')")) {
                rs.next();
                parts.append(String.format("heap %.1f KB (%d rows in %d pages, blob %.0f B on average), TOAST %.1f KB",
                        rs.getLong(1) / (double) SITES / 1024, rs.getLong(4), rs.getLong(5), rs.getDouble(3),
                        rs.getLong(2) / (double) SITES / 1024));
            }
            try (ResultSet rs = s.executeQuery("SELECT c.relname, pg_relation_size(c.oid) FROM pg_index i"
                    + " JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = '" + rawTable + "'::regclass ORDER BY 1")) {
                while (rs.next()) {
                    parts.append(String.format(", index %s %.1f KB", rs.getString(1), rs.getLong(2) / (double) SITES / 1024));
                }
            }
            System.out.println("  raw tier per site per day: " + parts);
        }
    }

    static long relationBytes(Statement s, String table) throws Exception {
        try (ResultSet rs = s.executeQuery("SELECT pg_total_relation_size('" + table + "')")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static void report(String engine, long rawBytes, long rollupBytes, long jsonBytes) {
        double rawPerSite = rawBytes / (double) SITES;
        double rollupPerSite = rollupBytes / (double) SITES;
        double rawFleet = rawPerSite * FLEET * ArchiveRetention.DEFAULT_RAW.toDays();
        double rollupFleet = rollupPerSite * FLEET * ArchiveRetention.DEFAULT_ROLLUP.toDays();
        System.out.printf("ArchiveStorageBenchmark %s, %d sites x 1 day at the defaults (as JSON the samples would be"
                + " %.0f KB/site/day):%n", engine, SITES, jsonBytes / (double) SITES / 1024);
        System.out.printf("  raw tier    %8.1f KB/site/day (target <= 1024)  -> 10,000 sites x 14 d  = %6.1f GB%n",
                rawPerSite / 1024, rawFleet / 1e9);
        System.out.printf("  hourly tier %8.1f KB/site/day (target <= 20)    -> 10,000 sites x 400 d = %6.1f GB%n",
                rollupPerSite / 1024, rollupFleet / 1e9);
        System.out.printf("  archive for 10,000 sites at the default retentions: %.1f GB (+ a day of raw and a month"
                + " of rollups before their partitions are dropped whole)%n", (rawFleet + rollupFleet) / 1e9);
    }

    /** One day of every site, pushed as agents push it, then rolled up. */
    void fill(String engine, JdbcArchive a, MutableClock clock, long[] jsonBytes) throws Exception {
        Random random = new Random(42);
        Deque<CompletableFuture<StoreResult>> inFlight = new ArrayDeque<>();
        long pushes = 0;
        long start = System.nanoTime();
        long transactionsBefore = timer.count();
        for (int minute = 0; minute < 1_440; minute++) {
            long end = day + minute * 60_000L + 59_000; // received within the same UTC day
            clock.set(end + 500);
            for (int site = 0; site < SITES; site++) {
                List<Sample> samples = new ArrayList<>();
                samples.add(window(random, end));
                for (int k = 0; k < 6; k++) {
                    samples.add(new ConnectResult("hub", "198.18.0.1", 443, end - 59_000 + k * 10_000 + site * 37,
                            true, 8_000.0 + random.nextInt(3_000), null));
                }
                if (minute % 240 == 120) {
                    samples.add(test(random, end - 30_000, "down", 80e6 / 8));
                    samples.add(test(random, end - 15_000, "up", 20e6 / 8));
                }
                samples.add(new AgentHealth(end, minute * 60L, 4096, 0, 0, 0));
                for (Sample s : samples) {
                    jsonBytes[0] += Json.mapper().writeValueAsBytes(s).length;
                    encodedByKind.merge(s.kind(), (long) io.linkprobe.collector.archive.codec.PushCodec.encode(
                            List.of(s)).length - 3, Long::sum);
                }
                inFlight.add(a.store(ArchiveBatch.of("site-" + site, "agent-" + site, minute, clock.millis(),
                        "{\"site\":\"site-" + site + "\"}", samples)));
                pushes++;
                while (inFlight.size() > 2_000) {
                    assertEquals(StoreResult.Outcome.STORED, inFlight.poll().get(60, TimeUnit.SECONDS).outcome());
                }
            }
        }
        while (!inFlight.isEmpty()) {
            assertEquals(StoreResult.Outcome.STORED, inFlight.poll().get(60, TimeUnit.SECONDS).outcome());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("ArchiveStorageBenchmark %s: stored %d pushes in %.1f s (%.0f pushes/s with up to 2,000 waiting, %d transactions, each"
                + " committed before its pushes count as stored; a figure of this busy machine, not a target)%n",
                engine, pushes, seconds, pushes / seconds, timer.count() - transactionsBefore);
        clock.set(day + DAY + 10 * 60_000L);
        int siteHours = a.rollUp();
        assertEquals(SITES * 24, siteHours, "every site-hour rolled up");
        assertEquals(SITES * 1_440L, pushes);
    }

    static LatencyWindow window(Random random, long end) {
        int[] rtts = new int[300];
        int lostForward = 0;
        int lostBackward = 0;
        int n = 0;
        for (int i = 0; i < 300; i++) {
            if (random.nextInt(1000) == 0) {
                lostForward++;
            } else if (random.nextInt(1000) == 0) {
                lostBackward++;
            } else {
                double queue = -400 * Math.log(1 - random.nextDouble());
                int spike = random.nextInt(100) == 0 ? 30_000 + random.nextInt(50_000) : 0;
                rtts[n++] = 8_000 + (int) queue + spike;
            }
        }
        int[] received = Arrays.copyOf(rtts, n);
        LatencyWindow w = Samples.window("hub", end, received, lostForward, lostBackward);
        return new LatencyWindow(w.target(), w.startEpochMillis(), w.endEpochMillis(), w.sent(), w.received(),
                w.lostForward(), w.lostBackward(), 0, random.nextInt(3), w.rtt(), 180 + random.nextInt(200),
                150.0 + random.nextInt(100), 900.0 + random.nextInt(2000), 44 * w.sent(), 44 * w.received(), null, null,
                received);
    }

    static ThroughputResult test(Random random, long end, String direction, double bytesPerSecond) {
        List<Long> intervals = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            intervals.add((long) (bytesPerSecond / 10 * (0.9 + random.nextDouble() * 0.2)));
        }
        ThroughputResult t = Samples.throughput("hub", end, direction, bytesPerSecond);
        return new ThroughputResult(t.target(), t.startEpochMillis(), t.endEpochMillis(), direction, "ok", null, 4,
                t.bytes(), t.seconds(), t.steadyBytesPerSecond(), t.meanBytesPerSecond(), true, 100, intervals, t.tcp(),
                t.loaded());
    }
}
