package io.linkprobe.collector.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.collector.MutableClock;
import io.linkprobe.common.testing.Samples;
import io.linkprobe.common.wire.LatencyWindow;
import io.linkprobe.common.wire.Sample;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What every archive engine must do, run against SQLite ({@link SqliteArchiveTest}) and a real
 * PostgreSQL ({@link PostgresArchiveTest}): group commit, the idempotency key, both tiers, and
 * retention that drops partitions whole.
 */
abstract class ArchiveContract {
    static final long HOUR = 3_600_000L;
    static final long DAY = 24 * HOUR;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final Timer transactions = Timer.builder("tx").register(registry);
    /** Midday UTC, so that a test's day does not cross midnight. */
    final MutableClock clock = new MutableClock(Instant.parse("2026-03-10T12:00:00Z").toEpochMilli());

    /** A new, empty archive (or the same one again after {@link JdbcArchive#close}, for {@link #reopen}). */
    abstract JdbcArchive open(ArchiveRetention retention) throws Exception;

    /** The same archive as the last {@link #open}, opened again. */
    abstract JdbcArchive reopen(ArchiveRetention retention) throws Exception;

    /** Every stored push, read beside the archive. */
    abstract List<ArchiveDump.Push> dump() throws Exception;

    JdbcArchive open() throws Exception {
        return open(ArchiveRetention.DEFAULT);
    }

    static ArchiveBatch batch(String site, String agent, long seq, long receivedMillis, List<Sample> samples) {
        return ArchiveBatch.of(site, agent, seq, receivedMillis, "{\"site\":\"" + site + "\"}", samples);
    }

    /** {@code n} latency windows ending a minute apart up to {@code endMillis}, with distinct RTTs. */
    static List<Sample> windows(long endMillis, int n, int seed) {
        List<Sample> out = new ArrayList<>();
        for (int i = n - 1; i >= 0; i--) {
            int[] rtts = new int[50];
            for (int k = 0; k < rtts.length; k++) {
                rtts[k] = 10_000 + (seed * 131 + k * 37 + i * 7) % 900;
            }
            out.add(Samples.window("hub", endMillis - i * 60_000L, rtts, i % 3, i % 2));
        }
        return out;
    }

    StoreResult store(JdbcArchive a, ArchiveBatch b) throws Exception {
        return a.store(b).get(30, TimeUnit.SECONDS);
    }

    @Test
    void concurrentPushesShareTransactions() throws Exception {
        try (JdbcArchive archive = open()) {
            List<CompletableFuture<StoreResult>> results = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                results.add(archive.store(batch("s" + i % 40, "agent-" + i % 40, i / 40, clock.millis(),
                        windows(clock.millis() - i, 5, i))));
            }
            for (CompletableFuture<StoreResult> r : results) {
                assertEquals(StoreResult.Outcome.STORED, r.get(30, TimeUnit.SECONDS).outcome());
            }
            assertTrue(transactions.count() < 400, "group commit: " + transactions.count() + " transactions");
            assertEquals(50, archive.history("s3", 0, Long.MAX_VALUE, 1000).size());
            assertEquals(9, archive.ackedSequence("agent-3"));
            assertEquals(400, dump().size());
        }
    }

    @Test
    void sameKeyIsDuplicateForItsSiteAndConflictForAnother() throws Exception {
        long now = clock.millis();
        try (JdbcArchive archive = open()) {
            assertEquals(new StoreResult(StoreResult.Outcome.STORED, 5), store(archive, batch("a", "x", 5, now, windows(now, 2, 1))));
            assertEquals(new StoreResult(StoreResult.Outcome.STORED, 5), store(archive, batch("a", "x", 3, now, windows(now - 1, 2, 2))),
                    "an older sequence stored late does not lower the acked sequence");
            assertEquals(new StoreResult(StoreResult.Outcome.DUPLICATE, 5), store(archive, batch("a", "x", 5, now, windows(now, 2, 1))));
            assertEquals(StoreResult.Outcome.CONFLICT, store(archive, batch("b", "x", 5, now, windows(now, 2, 1))).outcome());
            assertEquals(4, archive.history("a", 0, Long.MAX_VALUE, 100).size());
            assertEquals(0, archive.history("b", 0, Long.MAX_VALUE, 100).size());
        }
    }

    @Test
    void aKeyStoredOnAnEarlierDayIsStillADuplicate() throws Exception {
        long day1 = clock.millis();
        try (JdbcArchive archive = open()) {
            store(archive, batch("a", "x", 1, day1, windows(day1, 1, 1)));
            clock.advance(Duration.ofDays(3));
            assertEquals(StoreResult.Outcome.DUPLICATE,
                    store(archive, batch("a", "x", 1, clock.millis(), windows(day1, 1, 1))).outcome());
            assertEquals(2, archive.partitions().stream().filter(p -> p.tier() == Tier.RAW).count(),
                    "a partition for each day that received a push: " + archive.partitions());
            assertEquals(1, dump().size());
        }
    }

    @Test
    void keysAndAckedSequenceSurviveReopening() throws Exception {
        try (JdbcArchive archive = open()) {
            store(archive, batch("a", "x", 17, clock.millis(), windows(clock.millis(), 1, 1)));
        }
        try (JdbcArchive archive = reopen(ArchiveRetention.DEFAULT)) {
            assertEquals(17, archive.ackedSequence("x"));
            assertEquals(StoreResult.Outcome.DUPLICATE,
                    store(archive, batch("a", "x", 17, clock.millis(), windows(clock.millis(), 1, 1))).outcome());
            assertEquals(List.of("a"), archive.knownSites().stream().map(KnownSite::site).toList());
        }
    }

    @Test
    void historyGivesBackEverySampleAsPushedWithItsRawRtts() throws Exception {
        long now = clock.millis();
        List<Sample> pushed = new ArrayList<>(windows(now - 5_000, 3, 9));
        pushed.add(Samples.throughput("hub", now - 4_000, "down", 9_500_000));
        pushed.add(Samples.connect("hub", now - 3_000, 2_345.5));
        pushed.add(Samples.health(now - 2_000, 7));
        pushed.add(Samples.window("hub", now - 1_000, new int[0], 3, 4)); // nothing received
        try (JdbcArchive archive = open()) {
            store(archive, batch("a", "x", 1, now, pushed));
            List<Sample> read = archive.history("a", now - HOUR, now + 1, 100).stream().map(StoredSample::sample).toList();
            assertEquals(pushed.stream().sorted((p, q) -> Long.compare(p.endEpochMillis(), q.endEpochMillis())).toList(), read);
            assertTrue(Arrays.equals(((LatencyWindow) pushed.get(0)).rttMicros(), ((LatencyWindow) read.get(0)).rttMicros()));
            List<StoredSample> tests = archive.recent("a", Sample.Kind.THROUGHPUT, now - HOUR, now + 1, 10);
            assertEquals(1, tests.size());
            assertEquals(pushed.get(3), tests.get(0).sample());
        }
    }

    @Test
    void recentGivesOneKindNewestFirst() throws Exception {
        long now = clock.millis();
        try (JdbcArchive archive = open()) {
            for (int seq = 1; seq <= 10; seq++) {
                List<Sample> s = new ArrayList<>(windows(now - (10 - seq) * 60_000L, 1, seq));
                s.add(Samples.health(now - (10 - seq) * 60_000L, seq));
                store(archive, batch("a", "x", seq, now, s));
            }
            List<StoredSample> recent = archive.recent("a", Sample.Kind.LATENCY, 0, Long.MAX_VALUE, 3);
            assertEquals(List.of(10L, 9L, 8L), recent.stream().map(StoredSample::sequence).toList());
            assertTrue(recent.stream().allMatch(r -> r.sample() instanceof LatencyWindow));
        }
    }

    @Test
    void hourlyRollupsSumLossExactlyAndMergeRttsWithinOnePercent() throws Exception {
        long hour = clock.millis() / HOUR * HOUR - 3 * HOUR;
        List<Sample> all = new ArrayList<>();
        try (JdbcArchive archive = open()) {
            for (int seq = 0; seq < 60; seq++) {
                int[] rtts = new int[100];
                for (int k = 0; k < rtts.length; k++) {
                    rtts[k] = 2_000 + ((seq * 100 + k) * 7919) % 40_000; // 2 to 42 ms, spread
                }
                List<Sample> push = new ArrayList<>();
                push.add(Samples.window("hub", hour + 60_000L * (seq + 1) - 1, rtts, seq % 4, seq % 3));
                push.add(Samples.connect("hub", hour + 60_000L * seq + 5, 1_000 + seq));
                if (seq == 30) {
                    push.add(Samples.throughput("hub", hour + 60_000L * seq + 10, "down", 12_000_000));
                }
                if (seq == 40) {
                    push.add(Samples.video("hub", hour + 60_000L * seq + 20, "marginal", 6, 0.4, 0.2, 3_500));
                }
                all.addAll(push);
                store(archive, batch("a", "x", seq, clock.millis(), push));
            }
            assertTrue(archive.rollUp() >= 1);
            List<HourlyRollup> rollups = archive.rollups("a", hour, hour + HOUR);
            assertEquals(1, rollups.size(), rollups.toString());
            HourlyRollup r = rollups.get(0);
            assertEquals("hub", r.target());
            assertEquals(hour, r.hourMillis());
            long lostUp = all.stream().filter(s -> s instanceof LatencyWindow).mapToLong(s -> ((LatencyWindow) s).lostForward()).sum();
            long lostDown = all.stream().filter(s -> s instanceof LatencyWindow).mapToLong(s -> ((LatencyWindow) s).lostBackward()).sum();
            assertEquals(60, r.latency().windows());
            assertEquals(lostUp, r.latency().lostForward());
            assertEquals(lostDown, r.latency().lostBackward());
            assertEquals(6_000, r.latency().received());
            int[] every = all.stream().filter(s -> s instanceof LatencyWindow).flatMapToInt(s -> Arrays.stream(((LatencyWindow) s).rttMicros())).sorted().toArray();
            for (double q : new double[] {0.5, 0.9, 0.99}) {
                double exact = every[(int) Math.ceil(q * every.length) - 1];
                double sketched = r.latency().rttMicros().getValueAtQuantile(q);
                assertTrue(Math.abs(sketched - exact) <= 0.01 * exact + 1, "p" + q + ": " + sketched + " vs " + exact);
            }
            assertEquals(60, r.connect().attempts());
            assertEquals(0, r.connect().failures());
            assertEquals(1, r.tests().size());
            assertEquals(12_000_000, r.tests().get(0).steadyBytesPerSecond());
            assertEquals("C", r.tests().get(0).grade());
            assertEquals(1, r.video().size(), "the video verdict is kept in the hourly tier");
            HourlyRollup.Video v = r.video().get(0);
            assertEquals("marginal", v.verdict());
            assertEquals(6, v.calls());
            assertEquals(0.4, v.lossUpPercent(), 1e-9);
            assertEquals(0.2, v.lossDownPercent(), 1e-9);
            assertEquals(3_500, v.jitterDownMicros(), 1e-9);
            assertEquals(0, archive.rollUp(), "nothing left to roll up");
        }
    }

    @Test
    void resultsArrivingLateAreRolledUpAgain() throws Exception {
        long hour = clock.millis() / HOUR * HOUR - 2 * HOUR;
        try (JdbcArchive archive = open()) {
            store(archive, batch("a", "x", 1, clock.millis(), List.of(Samples.window("hub", hour + 60_000, new int[] {5_000}, 1, 0))));
            archive.rollUp();
            assertEquals(1, archive.rollups("a", hour, hour + HOUR).get(0).latency().windows());
            store(archive, batch("a", "x", 2, clock.millis(), List.of(Samples.window("hub", hour + 120_000, new int[] {6_000}, 0, 2))));
            assertEquals(1, archive.rollUp());
            HourlyRollup.Latency l = archive.rollups("a", hour, hour + HOUR).get(0).latency();
            assertEquals(2, l.windows());
            assertEquals(1, l.lostForward());
            assertEquals(2, l.lostBackward());
        }
    }

    @Test
    void theCurrentHourIsRolledUpOnlyOnceItIsOver() throws Exception {
        long now = clock.millis();
        try (JdbcArchive archive = open()) {
            store(archive, batch("a", "x", 1, now, windows(now, 1, 1)));
            assertEquals(0, archive.rollUp());
            clock.advance(Duration.ofHours(1).plusMinutes(3));
            assertEquals(1, archive.rollUp());
            assertEquals(1, archive.rollups("a", 0, Long.MAX_VALUE).size());
        }
    }

    @Test
    void retentionDropsWholePartitionsKeepsRollupsAndForgetsSilentSites() throws Exception {
        ArchiveRetention retention = new ArchiveRetention(Duration.ofDays(2), Duration.ofDays(40));
        long start = clock.millis();
        try (JdbcArchive archive = open(retention)) {
            for (int i = 0; i < 3; i++) {
                store(archive, batch("old", "o", i, start, windows(start - i * 60_000L, 5, i)));
            }
            clock.advance(Duration.ofDays(3));
            store(archive, batch("new", "n", 1, clock.millis(), windows(clock.millis(), 3, 7)));

            Set<String> forgotten = archive.enforceRetention().get(60, TimeUnit.SECONDS);

            assertEquals(Set.of(), forgotten, "a site silent for 3 days is within the rollup retention");
            assertEquals(0, archive.history("old", 0, Long.MAX_VALUE, 10).size(), "its raw day was dropped");
            assertEquals(Tier.HOURLY, archive.tierFor(start - HOUR, clock.millis()));
            List<HourlyRollup> kept = archive.rollups("old", 0, Long.MAX_VALUE);
            assertEquals(15, kept.stream().mapToLong(r -> r.latency().windows()).sum(), "rolled up before the drop");
            assertEquals(3, archive.history("new", 0, Long.MAX_VALUE, 10).size());
            assertEquals(Set.of(Partition.raw(clock.millis())), archive.partitions().stream()
                    .filter(p -> p.tier() == Tier.RAW).collect(Collectors.toSet()));

            // 41 days on, the sites are silent for longer than the rollup retention, but March's
            // partition still holds hours younger than 40 days: a partition goes only whole.
            clock.advance(Duration.ofDays(41));
            forgotten = archive.enforceRetention().get(60, TimeUnit.SECONDS);
            assertEquals(Set.of("old", "new"), forgotten);
            assertEquals(15, archive.rollups("old", 0, Long.MAX_VALUE).stream()
                    .mapToLong(r -> r.latency().windows()).sum(), "March is not yet all older than 40 days");

            // On 12 May all of March is older than 40 days.
            clock.advance(Duration.ofDays(19));
            forgotten = archive.enforceRetention().get(60, TimeUnit.SECONDS);
            assertEquals(Set.of(), forgotten);
            assertEquals(List.of(), archive.rollups("old", 0, Long.MAX_VALUE), "its month partition was dropped");
            assertEquals(List.of(), archive.knownSites());
            assertEquals(Set.of(), archive.partitions());
        }
    }

    @Test
    void fullQueueRefusesAtOnce() throws Exception {
        try (JdbcArchive archive = open()) {
            // A batch far larger than the byte bound fits only into an empty queue; the next is refused.
            ArchiveBatch one = batch("a", "x", 1, clock.millis(), windows(clock.millis(), 1, 1));
            byte[] huge = new byte[(int) (JdbcArchive.MAX_QUEUED_BYTES / 2 + 1)];
            System.arraycopy(one.data(), 0, huge, 0, one.data().length);
            List<CompletableFuture<StoreResult>> accepted = new ArrayList<>();
            assertThrows(ArchiveOverloadedException.class, () -> {
                for (int i = 0; i < 3; i++) {
                    accepted.add(archive.store(new ArchiveBatch("a", "x", i, one.receivedMillis(), "{}", 1,
                            one.firstEndMillis(), one.lastEndMillis(), one.kinds(), one.hours(), huge)));
                }
            });
            for (CompletableFuture<StoreResult> r : accepted) {
                r.get(60, TimeUnit.SECONDS);
            }
        }
    }

    /** key → sample count of every stored push. */
    Map<String, Integer> keys() throws Exception {
        Map<String, Integer> keys = new TreeMap<>();
        for (ArchiveDump.Push p : dump()) {
            assertNull(keys.put(p.key(), p.samples().size()), "one row per key: " + p.key());
        }
        return keys;
    }

    static void assertStored(StoreResult r) {
        assertNotNull(r);
        assertEquals(StoreResult.Outcome.STORED, r.outcome());
    }
}
