package io.linkprobe.agent.push;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.common.wire.LatencyWindow;
import io.linkprobe.common.wire.Sample;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A spool that is garbage, truncated or has a damaged page at start: moved aside with its
 * -wal/-shm, a new spool in its place holding what could be read (formed batches under their own
 * sequences), counted; and no sequence the collector has seen is ever used again.
 */
class SpoolCorruptionTest {
    private static final long MAX_BYTES = 64L << 20;
    /** A real time, so that salvaged rows pass the plausibility check (which refuses 1970). */
    private static final long T0 = System.currentTimeMillis() - 3_600_000;

    /** A window named {@code t<n>} so its page can be found in the file; realistic, ~1 KB of JSON. */
    static LatencyWindow window(int n) {
        int[] rtts = new int[60];
        for (int i = 0; i < rtts.length; i++) {
            rtts[i] = 10_000 + (i * 37) % 900;
        }
        long end = T0 + n * 5_000L;
        return new LatencyWindow(String.format("t%05d", n), end - 5_000, end, 60, 60, 0, 0, 0, 0,
                new LatencyWindow.RttSummary(10_000, 10_450, 10_800, 10_890, 10_899, 10_450), 120.0, 100.0, 800.0,
                60 * 44, 60 * 44, null, null, rtts, 3_000L);
    }

    /**
     * 300 windows in the spool; the first 50 formed into a batch (sent, not yet acked) at wall-clock
     * time {@code clock}. Returns that batch's sequence.
     */
    private static long fill(Path file, AtomicLong clock) throws Exception {
        try (SqliteSpool spool = SqliteSpool.open(file, MAX_BYTES, 0, clock::get)) {
            for (int n = 0; n < 100; n++) {
                spool.add(window(n));
            }
            long sequence = spool.nextBatch(50).orElseThrow().sequence();
            for (int n = 100; n < 300; n++) {
                spool.add(window(n));
            }
            return sequence;
        }
    }

    private static List<Path> aside(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().contains(".corrupt-")).sorted().toList();
        }
    }

    /** Spool files moved aside, without their -wal and -shm. */
    private static long movedSpools(Path dir) throws IOException {
        return aside(dir).stream().filter(p -> !p.toString().endsWith("-wal") && !p.toString().endsWith("-shm")).count();
    }

    private static List<Sample> drain(SqliteSpool spool) {
        List<Sample> all = new ArrayList<>();
        for (Outbox.Batch b = spool.nextBatch(100).orElse(null); b != null; b = spool.nextBatch(100).orElse(null)) {
            all.addAll(b.samples());
            spool.remove(b.sequence());
        }
        return all;
    }

    @Test
    void aGarbageFileIsMovedAsideWithItsWalAndShmAndANewSpoolStarts(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("spool.db");
        byte[] garbage = new byte[64 * 1024];
        new Random(7).nextBytes(garbage);
        Files.write(file, garbage);
        Files.write(dir.resolve("spool.db-wal"), new byte[] {1, 2, 3});
        Files.write(dir.resolve("spool.db-shm"), new byte[] {4, 5, 6});

        try (SqliteSpool spool = SqliteSpool.open(file, MAX_BYTES, 0)) {
            assertEquals(0, spool.pendingSamples());
            assertEquals(1, spool.recoveredTotal());
            spool.add(window(1));
            assertEquals(1, spool.nextBatch(10).orElseThrow().samples().size(), "the new spool works");
        }
        List<Path> moved = aside(dir);
        assertEquals(3, moved.size(), moved.toString());
        Path main = moved.get(0);
        assertTrue(main.getFileName().toString().matches("spool\\.db\\.corrupt-\\d{8}T\\d{6}Z"), main.toString());
        assertArrayEquals(garbage, Files.readAllBytes(main), "moved, not rewritten");
        assertTrue(Files.exists(main.resolveSibling(main.getFileName() + "-wal")));
        assertTrue(Files.exists(main.resolveSibling(main.getFileName() + "-shm")));
    }

    @Test
    void aTruncatedFileKeepsWhatItsFirstHalfHolds(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("spool.db");
        AtomicLong clock = new AtomicLong(T0);
        long formed = fill(file, clock);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }

        try (SqliteSpool spool = SqliteSpool.open(file, MAX_BYTES, 0, clock::get)) {
            assertEquals(1, spool.recoveredTotal());
            long kept = spool.pendingSamples();
            assertTrue(kept > 50 && kept < 300, "some of the first half, none of the second: " + kept);
            Outbox.Batch batch = spool.nextBatch(100).orElseThrow();
            assertEquals(formed, batch.sequence(), "the formed batch keeps its sequence: a replay the collector dedups");
            assertEquals(50, batch.samples().size());
            spool.remove(batch.sequence());
            assertTrue(spool.nextBatch(100).orElseThrow().sequence() > formed);
        }
        assertEquals(1, movedSpools(dir));
    }

    @Test
    void aDamagedPageLosesOnlyTheResultsOnThatPage(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("spool.db");
        AtomicLong clock = new AtomicLong(T0);
        fill(file, clock);
        int page = damagePageHolding(file, "t00200");

        try (SqliteSpool spool = SqliteSpool.open(file, MAX_BYTES, 0, clock::get)) {
            assertEquals(1, spool.recoveredTotal());
            List<String> targets = drain(spool).stream().map(Sample::target).toList();
            assertFalse(targets.contains("t00200"), "its page was destroyed");
            assertTrue(targets.contains("t00000") && targets.contains("t00199") && targets.contains("t00299"),
                    "rows before and after the damaged page (" + page + ") are kept");
            int lost = 300 - targets.size();
            assertTrue(lost >= 1 && lost <= 8, "only that page's few rows are lost: " + lost);
            assertEquals(targets.stream().sorted().toList(), targets, "in their order");
        }
    }

    /**
     * The push sequence lives in the spool. A recreated spool must never reuse a sequence the
     * collector has seen: with the old meta readable it continues above it, even if the wall clock
     * has stepped back; with nothing readable it starts at the wall clock, which every earlier
     * sequence was formed below.
     */
    @Test
    void aRecreatedSpoolNeverReusesASequence(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("spool.db");
        AtomicLong clock = new AtomicLong(T0);
        long old;
        try (SqliteSpool spool = SqliteSpool.open(file, MAX_BYTES, 0, clock::get)) {
            for (int n = 0; n < 5; n++) {
                spool.add(window(n));
                Outbox.Batch b = spool.nextBatch(1).orElseThrow();
                spool.remove(b.sequence()); // acked: the collector has seen it
            }
            old = spool.lastSequence();
            for (int n = 5; n < 300; n++) {
                spool.add(window(n));
            }
        }
        assertTrue(old >= T0);

        // A damaged samples page, the meta readable, and the clock stepped back an hour.
        damagePageHolding(file, "t00150");
        clock.set(T0 - 3_600_000);
        try (SqliteSpool spool = SqliteSpool.open(file, MAX_BYTES, 0, clock::get)) {
            assertTrue(spool.nextBatch(1).orElseThrow().sequence() > old, "above the old file's last sequence");
            old = spool.lastSequence();
        }

        // Garbage: nothing readable. The clock is back to real time (an hour on from the batches).
        Files.write(file, "not a database at all, just text".repeat(200).getBytes(StandardCharsets.UTF_8));
        clock.set(T0 + 3_600_000);
        try (SqliteSpool spool = SqliteSpool.open(file, MAX_BYTES, 0, clock::get)) {
            spool.add(window(1));
            long next = spool.nextBatch(1).orElseThrow().sequence();
            assertTrue(next > old, next + " must be above every sequence used before (" + old + ")");
            assertEquals(2, spool.recoveredTotal(), "the old count was in the garbage; the files moved aside still tell");
        }
    }

    @Test
    void recoveriesAddUpWhileTheOldMetaCanBeRead(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("spool.db");
        AtomicLong clock = new AtomicLong(T0);
        fill(file, clock);
        damagePageHolding(file, "t00100");
        try (SqliteSpool spool = SqliteSpool.open(file, MAX_BYTES, 0, clock::get)) {
            assertEquals(1, spool.recoveredTotal());
        }
        damagePageHolding(file, "t00250");
        clock.addAndGet(2_000); // another second, another name for the file moved aside
        try (SqliteSpool spool = SqliteSpool.open(file, MAX_BYTES, 0, clock::get)) {
            assertEquals(2, spool.recoveredTotal());
        }
        assertEquals(2, movedSpools(dir));
    }

    @Test
    void aPathThatCannotHoldASpoolStillFails(@TempDir Path dir) throws Exception {
        Path directory = Files.createDirectory(dir.resolve("spool.db"));
        IOException e = assertThrows(IOException.class, () -> SqliteSpool.open(directory, MAX_BYTES, 0));
        assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
        assertTrue(aside(dir).isEmpty(), "nothing moved");
    }

    /** Overwrites the file page holding {@code marker} with noise; returns the page number. */
    static int damagePageHolding(Path file, String marker) throws IOException {
        byte[] all = Files.readAllBytes(file);
        int pageSize = ((all[16] & 0xFF) << 8) | (all[17] & 0xFF);
        int at = indexOf(all, marker.getBytes(StandardCharsets.US_ASCII));
        assertTrue(at > 0, marker + " is in the file");
        int page = at / pageSize;
        byte[] noise = new byte[pageSize];
        new Random(page).nextBytes(noise);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek((long) page * pageSize);
            f.write(noise);
        }
        return page + 1;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
