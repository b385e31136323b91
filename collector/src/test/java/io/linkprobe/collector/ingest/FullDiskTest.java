package io.linkprobe.collector.ingest;

import static io.linkprobe.collector.Exposition.require;
import static io.linkprobe.collector.Exposition.unlabelled;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.collector.MutableClock;
import io.linkprobe.collector.TestCollector;
import io.linkprobe.collector.Tmpfs;
import io.linkprobe.common.testing.Samples;
import io.linkprobe.common.wire.Json;
import io.linkprobe.common.wire.PushAck;
import io.linkprobe.common.wire.PushBatch;
import io.linkprobe.common.wire.Sample;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive on a real filesystem that fills up and empties again (a small tmpfs; root only):
 * pushes get 503 while it is full and nothing of them is stored, {@code /-/ready} says why, each
 * refusal is counted, and once space returns the collector stores again without a restart; in
 * the end every result is in the archive exactly once.
 */
class FullDiskTest {
    static final String TOKEN = "token-t";
    static final int SAMPLES_PER_PUSH = 20;

    @TempDir
    Path dir;

    @Test
    void fullDiskRefusesWith503ThenRecoversWithoutRestartStoringEveryResultOnce() throws Exception {
        String why = Tmpfs.unavailableReason();
        if (why != null) {
            System.out.println("FullDiskTest skipped: " + why);
        }
        Assumptions.assumeTrue(why == null, why);
        try (Tmpfs disk = Tmpfs.mount(dir.resolve("disk"), 2L * 1024 * 1024);
                TestCollector c = TestCollector.start(disk.dir, Map.of("t", TOKEN), MutableClock.now(), x -> x)) {
            int sent = 0;
            int refused = 0;
            List<Long> acked = new ArrayList<>();
            for (long seq = 1; seq <= 3; seq++, sent++) {
                assertEquals(200, push(c, seq).statusCode());
                acked.add(seq);
            }

            // Filled again before each push: a failed write can hand SQLite's space back (16 KiB
            // WAL frames of the raw partition), and a push that fits in it is rightly stored.
            List<Path> fillers = new ArrayList<>();
            long filler = 0;
            List<Long> refusedSequences = new ArrayList<>();
            for (long seq = 4; seq <= 13; seq++, sent++) {
                fillers.add(disk.dir.resolve("filler-" + seq));
                filler += disk.fill(fillers.get(fillers.size() - 1));
                HttpResponse<String> r = push(c, seq);
                assertEquals(503, r.statusCode(), "full disk: " + r.body());
                assertEquals("the collector's archive is out of disk space; the push was not stored, retry later\n",
                        r.body());
                assertEquals("30", r.headers().firstValue("Retry-After").orElse(""));
                refusedSequences.add(seq);
                refused++;
            }
            // Many at once: they share transactions, and a lost transaction fails them all.
            fillers.add(disk.dir.resolve("filler-burst"));
            filler += disk.fill(fillers.get(fillers.size() - 1));
            List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
            for (long seq = 14; seq <= 33; seq++, sent++) {
                burst.add(c.http.sendAsync(request(c, seq), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
                refusedSequences.add(seq);
            }
            for (CompletableFuture<HttpResponse<String>> f : burst) {
                assertEquals(503, f.get(30, TimeUnit.SECONDS).statusCode());
                refused++;
            }
            HttpResponse<String> notReady = c.get("/-/ready");
            assertEquals(503, notReady.statusCode());
            assertTrue(notReady.body().startsWith("linkprobe collector is not ready: the archive cannot write since "),
                    notReady.body());
            assertTrue(notReady.body().contains("database or disk is full") && notReady.body().endsWith("\n")
                    && notReady.body().indexOf('\n') == notReady.body().length() - 1, notReady.body());
            String m = c.metrics();
            assertEquals(refused, require(m, "linkprobe_collector_rejected_total", "reason=\"archive_full\""));
            assertEquals(0, require(m, "linkprobe_collector_rejected_total", "reason=\"archive_error\""));
            assertEquals(0, unlabelled(m, "linkprobe_collector_archive_writable"));
            assertEquals(Map.of(1L, 20L, 2L, 20L, 3L, 20L), samplesPerKey(disk.dir),
                    "nothing of a push answered 503 is stored");

            for (Path f : fillers) {
                Files.delete(f);
            }
            // No push comes: the collector's own probe write finds the space (every 5 s).
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (c.get("/-/ready").statusCode() != 200 && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertEquals("linkprobe collector is ready\n", c.get("/-/ready").body(), "ready again without a restart");
            assertEquals(1, unlabelled(c.metrics(), "linkprobe_collector_archive_writable"));

            // The agent replays what was refused; nothing of it was stored, so none is a duplicate.
            int duplicates = 0;
            for (long seq : refusedSequences) {
                HttpResponse<String> r = push(c, seq);
                sent++;
                assertEquals(200, r.statusCode(), r.body());
                assertEquals(new PushAck(seq, false), Json.mapper().readValue(r.body(), PushAck.class));
                acked.add(seq);
            }
            // A replay of a batch acked before the disk filled is a duplicate, as before.
            HttpResponse<String> replay = push(c, 2);
            sent++;
            assertEquals(new PushAck(33, true), Json.mapper().readValue(replay.body(), PushAck.class));
            duplicates++;

            Map<Long, Long> stored = samplesPerKey(disk.dir);
            Map<Long, Long> expected = new TreeMap<>();
            acked.forEach(seq -> expected.put(seq, (long) SAMPLES_PER_PUSH));
            assertEquals(expected, stored, "every acked push stored once, whole");
            long rows = stored.values().stream().mapToLong(Long::longValue).sum();
            assertEquals(acked.size() * SAMPLES_PER_PUSH, rows);
            assertEquals(33, c.collector.archive().ackedSequence("agent-t"));
            assertEquals(acked.size() * (double) SAMPLES_PER_PUSH,
                    unlabelled(c.metrics(), "linkprobe_collector_ingested_total"));
            System.out.printf("FullDiskTest: filled %d bytes; %d pushes sent, %d answered 503 while full (all"
                    + " counted archive_full), %d keys stored with %d sample rows (%d per key, 0 missing, 0 twice),"
                    + " %d replays acked as duplicates%n", filler, sent, refused, stored.size(), rows,
                    SAMPLES_PER_PUSH, duplicates);
        }
    }

    static HttpResponse<String> push(TestCollector c, long seq) throws Exception {
        return c.send(request(c, seq));
    }

    static HttpRequest request(TestCollector c, long seq) {
        return HttpRequest.newBuilder(c.uri("/api/v1/samples"))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Samples.json(batch(c, seq)))).build();
    }

    /** A push of 20 latency windows whose end times are its own (seq, i): distinct results. */
    static PushBatch batch(TestCollector c, long seq) {
        List<Sample> samples = new ArrayList<>();
        long base = c.clock.millis() - 6 * 3_600_000L;
        for (int i = 0; i < SAMPLES_PER_PUSH; i++) {
            samples.add(Samples.window("hub", base + (seq * SAMPLES_PER_PUSH + i) * 1_000L,
                    new int[] {1_000 + i, 2_000, 3_000}, 0, 0));
        }
        return Samples.batch("t", seq, samples.toArray(Sample[]::new));
    }

    /** Sequence → results stored under it, read beside the collector; a key and its results are one row. */
    static Map<Long, Long> samplesPerKey(Path disk) throws Exception {
        Map<Long, Long> keys = new TreeMap<>();
        java.util.Set<Long> ends = new java.util.HashSet<>();
        long all = 0;
        for (io.linkprobe.collector.archive.ArchiveDump.Push p
                : io.linkprobe.collector.archive.ArchiveDump.sqlite(disk.resolve("collector.db"))) {
            assertEquals(null, keys.put(p.sequence(), (long) p.samples().size()), "one row per key");
            p.samples().forEach(s -> ends.add(s.endEpochMillis()));
            all += p.samples().size();
        }
        assertEquals(all, ends.size(), "a result (each has its own end time) stored twice");
        return keys;
    }
}
