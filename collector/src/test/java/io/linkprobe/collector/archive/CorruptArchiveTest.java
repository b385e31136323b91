package io.linkprobe.collector.archive;

import static io.linkprobe.collector.Exposition.unlabelled;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.linkprobe.collector.CollectorStartException;
import io.linkprobe.collector.MutableClock;
import io.linkprobe.collector.TestCollector;
import io.linkprobe.common.testing.Samples;
import io.linkprobe.common.wire.Json;
import io.linkprobe.common.wire.PushAck;
import io.linkprobe.common.wire.PushBatch;
import io.linkprobe.common.wire.Sample;
import java.io.RandomAccessFile;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A collector started on an archive whose raw partition file of today (where the pushes of the
 * last hours are, with their keys) is garbage, truncated, or has one bad page in the middle: it starts (no crash loop), moves the file aside, says once what it kept and lost, copies
 * what SQLite can still read (whole batches with their keys, never one without the other), and a
 * replay of every original batch then leaves each result in the archive exactly once.
 */
class CorruptArchiveTest {
    static final List<String> SITES = List.of("gp1", "gp2", "gp3");
    static final int BATCHES_PER_SITE = 40;
    static final int SAMPLES_PER_BATCH = 20;

    @TempDir
    Path dir;
    final MutableClock clock = MutableClock.now();
    final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    final Logger archiveLog = (Logger) LoggerFactory.getLogger("io.linkprobe.collector.archive");

    @BeforeEach
    void captureLogs() {
        logs.start();
        archiveLog.addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        archiveLog.detachAppender(logs);
    }

    Map<String, String> tokens() {
        Map<String, String> t = new TreeMap<>();
        SITES.forEach(s -> t.put(s, "token-" + s));
        return t;
    }

    /** The original: every batch pushed to a healthy collector, which then stops cleanly. */
    Map<String, List<String>> writeHealthyArchive() throws Exception {
        try (TestCollector c = TestCollector.start(dir, tokens(), clock, x -> x)) {
            for (int seq = 1; seq <= BATCHES_PER_SITE; seq++) {
                for (String site : SITES) {
                    assertEquals(200, c.push("token-" + site, batch(site, seq)).statusCode());
                }
            }
        }
        return samplesByKey(dir.resolve("collector.db"));
    }

    /** Today's raw partition file: the one a crash while writing can damage. */
    Path todaysRawFile() {
        return SqliteDialect.partitionFile(dir.resolve("collector.db"), Partition.raw(clock.millis()));
    }

    PushBatch batch(String site, long seq) {
        List<Sample> samples = new ArrayList<>();
        long base = clock.millis() - 12 * 3_600_000L;
        for (int i = 0; i < SAMPLES_PER_BATCH; i++) {
            samples.add(Samples.window("hub", base + (seq * SAMPLES_PER_BATCH + i) * 1_000L,
                    new int[] {1_000 + i, 2_000 + (int) seq, 3_000}, 0, 0));
        }
        return Samples.batch(site, seq, samples.toArray(Sample[]::new));
    }

    @Test
    void garbageArchiveIsMovedAsideAndNothingIsSalvaged() throws Exception {
        Map<String, List<String>> original = writeHealthyArchive();
        byte[] garbage = new byte[64 * 1024];
        new Random(7).nextBytes(garbage);
        Files.write(todaysRawFile(), garbage);

        try (TestCollector c = TestCollector.start(dir, tokens(), clock, x -> x)) {
            Path moved = movedFile();
            assertEquals(64 * 1024, Files.size(moved), "the bytes are kept, under the new name");
            assertEquals(200, c.get("/-/ready").statusCode());
            assertEquals(clock.millis() / 1000.0,
                    unlabelled(c.metrics(), "linkprobe_collector_archive_last_recovery_timestamp_seconds"));
            ILoggingEvent event = oneError();
            assertTrue(event.getFormattedMessage().contains("is corrupt (") && event.getFormattedMessage().contains(
                    "moved aside to " + moved) && event.getFormattedMessage().contains("Kept: nothing, SQLite cannot"
                    + " read the moved file either"), event.getFormattedMessage());
            assertEquals(SITES.size(), c.collector.archive().knownSites().size(), "sites are in the main file, which is sound");

            Replay replay = replayAll(c);
            assertEquals(new Replay(SITES.size() * BATCHES_PER_SITE, 0), replay, "nothing was salvaged: all stored anew");
            assertEquals(original, samplesByKey(dir.resolve("collector.db")), "every result once, after the replay");
        }
    }

    @Test
    void truncatedArchiveIsMovedAsideAndWhatCanBeReadIsSalvagedWholeBatchesOnly() throws Exception {
        Map<String, List<String>> original = writeHealthyArchive();
        Path db = todaysRawFile();
        try (RandomAccessFile f = new RandomAccessFile(db.toFile(), "rw")) {
            f.setLength(f.length() * 6 / 10);
        }
        salvageAndReplay(original, "truncated");
    }

    @Test
    void archiveWithABadPageInTheMiddleIsSalvagedAroundIt() throws Exception {
        Map<String, List<String>> original = writeHealthyArchive();
        Path db = todaysRawFile();
        long page;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                ResultSet rs = c.createStatement().executeQuery("SELECT pageno FROM dbstat WHERE name = 'pushes'"
                        + " AND pagetype = 'leaf' ORDER BY pageno")) {
            List<Long> leaves = new ArrayList<>();
            while (rs.next()) {
                leaves.add(rs.getLong(1));
            }
            page = leaves.get(leaves.size() / 2);
        }
        try (RandomAccessFile f = new RandomAccessFile(db.toFile(), "rw")) {
            f.seek((page - 1) * 4096);
            f.write(new byte[4096]); // zeros: an unreadable b-tree page
        }
        Replay replay = salvageAndReplay(original, "bad page " + page);
        assertTrue(replay.duplicates() >= SITES.size() * BATCHES_PER_SITE - 10,
                "all but the batches on and next to the bad page were salvaged: " + replay);
    }

    @Test
    void anArchiveInUseIsNotCorruptAndIsLeftWhereItIs() throws Exception {
        writeHealthyArchive();
        Path db = dir.resolve("collector.db");
        // Another process holding the file exclusively: SQLite answers "busy", which is no corruption.
        try (Connection holder = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            holder.createStatement().execute("PRAGMA locking_mode = EXCLUSIVE");
            holder.createStatement().execute("BEGIN EXCLUSIVE");
            CollectorStartException e = org.junit.jupiter.api.Assertions.assertThrows(CollectorStartException.class,
                    () -> TestCollector.start(dir, tokens(), clock, x -> x));
            assertTrue(e.getMessage().startsWith("cannot open the archive " + db + " ("), e.getMessage());
            assertTrue(e.getMessage().endsWith("check archive.path, its directory's permissions and free space"),
                    e.getMessage());
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().contains(".corrupt-")), "nothing moved");
        }
    }

    @Test
    void anArchivePathThatCannotBeCreatedStillStopsTheStartWithItsReason() throws Exception {
        Files.writeString(dir.resolve("not-a-dir"), "");
        CollectorStartException e = org.junit.jupiter.api.Assertions.assertThrows(CollectorStartException.class,
                () -> TestCollector.start(dir, tokens(), clock, config -> config.withArchive(
                        io.linkprobe.collector.config.CollectorConfig.Archive.sqlite(dir.resolve("not-a-dir/c.db")))));
        assertEquals("cannot create the archive directory " + dir.resolve("not-a-dir") + " (a file, not a directory, has that name);"
                + " create it or change archive.path", e.getMessage());
    }

    record Replay(int stored, int duplicates) {}

    private Replay salvageAndReplay(Map<String, List<String>> original, String damage) throws Exception {
        Replay replay;
        try (TestCollector c = TestCollector.start(dir, tokens(), clock, x -> x)) {
            Path moved = movedFile();
            assertEquals(200, c.get("/-/ready").statusCode(), "it started: no crash loop");
            Map<String, Long> recovery = awaitSalvage();
            ILoggingEvent event = oneError();
            assertTrue(event.getFormattedMessage().contains("moved aside to " + moved)
                    && event.getFormattedMessage().contains("Kept: ") && event.getFormattedMessage().contains("Lost: "),
                    event.getFormattedMessage());
            String finished = awaitLog("salvage from " + moved + " finished");

            Map<String, List<String>> salvaged = samplesByKey(dir.resolve("collector.db"));
            for (Map.Entry<String, List<String>> key : salvaged.entrySet()) {
                assertEquals(original.get(key.getKey()), key.getValue(), "batch " + key.getKey() + " salvaged whole");
            }
            assertEquals(recovery.get("batches"), (long) salvaged.size());
            assertEquals(SITES.size(), c.collector.archive().knownSites().size(), "sites are in the main file, which is sound");

            replay = replayAll(c);
            assertEquals(salvaged.size(), replay.duplicates(), "a salvaged batch replayed is a duplicate, nothing else is");
            assertEquals(original, samplesByKey(dir.resolve("collector.db")), "every result exactly once");
            System.out.printf("CorruptArchiveTest (%s): %d batches (%d results) in the original; salvaged %d whole"
                    + " batches (%d results), lost %d partly read, %d unreadable regions; after replaying every batch:"
                    + " %d stored, %d duplicates, every result once%n", damage, original.size(),
                    original.size() * SAMPLES_PER_BATCH, salvaged.size(), salvaged.size() * SAMPLES_PER_BATCH,
                    recovery.get("lost_batches"), recovery.get("unreadable_regions"), replay.stored(), replay.duplicates());
            System.out.println("  log: " + finished);
        }
        // After a restart the recovery is still visible, and the new archive is not "corrupt".
        logs.list.clear();
        try (TestCollector c = TestCollector.start(dir, tokens(), clock, x -> x)) {
            assertEquals(clock.millis() / 1000.0,
                    unlabelled(c.metrics(), "linkprobe_collector_archive_last_recovery_timestamp_seconds"));
            assertTrue(logs.list.stream().noneMatch(e -> e.getLevel() == Level.ERROR));
        }
        return replay;
    }

    /** Pushes every original batch again, as agents that still held them would. */
    private Replay replayAll(TestCollector c) throws Exception {
        int stored = 0;
        int duplicates = 0;
        for (int seq = 1; seq <= BATCHES_PER_SITE; seq++) {
            for (String site : SITES) {
                HttpResponse<String> r = c.push("token-" + site, batch(site, seq));
                assertEquals(200, r.statusCode(), r.body());
                if (Json.mapper().readValue(r.body(), PushAck.class).duplicate()) {
                    duplicates++;
                } else {
                    stored++;
                }
            }
        }
        return new Replay(stored, duplicates);
    }

    private Path movedFile() throws Exception {
        try (Stream<Path> files = Files.list(todaysRawFile().getParent())) {
            List<Path> moved = files.filter(p -> p.getFileName().toString().matches("raw_\\d{8}\\.db\\.corrupt-\\d{8}T\\d{6}Z"))
                    .toList();
            assertEquals(1, moved.size(), "one moved file: " + moved);
            return moved.get(0);
        }
    }

    /** The salvage logs its end just after committing it: wait for the line. */
    private String awaitLog(String part) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            synchronized (logs.list) {
                for (ILoggingEvent e : List.copyOf(logs.list)) {
                    if (e.getLevel() == Level.WARN && e.getFormattedMessage().contains(part)) {
                        return e.getFormattedMessage();
                    }
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no log line with: " + part);
    }

    private ILoggingEvent oneError() {
        List<ILoggingEvent> errors = logs.list.stream().filter(e -> e.getLevel() == Level.ERROR).toList();
        assertEquals(1, errors.size(), "logged once: " + errors);
        return errors.get(0);
    }

    /** Waits until the recovery's salvage is finished; its counters, and how many sites it could not keep. */
    private Map<String, Long> awaitSalvage() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String last = "";
        while (System.nanoTime() < deadline) {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("collector.db"));
                    ResultSet rs = c.createStatement().executeQuery("SELECT finished, batches, lost_batches,"
                            + " unreadable_regions, sites, next_id, skip_exponent FROM recoveries")) {
                assertTrue(rs.next(), "the recovery is recorded");
                if (rs.getInt(1) == 1) {
                    return Map.of("batches", rs.getLong(2), "lost_batches", rs.getLong(3),
                            "unreadable_regions", rs.getLong(4), "missing_sites", SITES.size() - rs.getLong(5));
                }
                last = "batches " + rs.getLong(2) + " lost " + rs.getLong(3) + " regions " + rs.getLong(4)
                        + " next_id " + rs.getLong(6) + " skip " + rs.getLong(7);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the salvage did not finish within 60 s: " + last);
    }

    /** agent/sequence → the JSON of its samples in order, read from the archive whose main file is {@code db}. */
    static Map<String, List<String>> samplesByKey(Path db) throws Exception {
        Map<String, List<String>> keys = new TreeMap<>();
        for (ArchiveDump.Push p : ArchiveDump.sqlite(db)) {
            List<String> json = new ArrayList<>();
            for (Sample sample : p.samples()) {
                json.add(Json.mapper().writeValueAsString(sample));
            }
            assertEquals(null, keys.put(p.key(), json), "one row per key: " + p.key());
        }
        return keys;
    }
}
