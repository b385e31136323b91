package io.linkprobe.collector.upgrades;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.collector.MutableClock;
import io.linkprobe.collector.archive.ArchiveBatch;
import io.linkprobe.collector.archive.ArchiveRetention;
import io.linkprobe.collector.archive.JdbcArchive;
import io.linkprobe.collector.archive.StoreResult;
import io.linkprobe.collector.archive.Tier;
import io.linkprobe.common.wire.LatencyWindow;
import io.linkprobe.common.wire.Sample;
import io.linkprobe.common.wire.ThroughputResult;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verdicts' raw-tier evidence against the hourly tier's, from the same results through the
 * archive's own write and rollup paths: over whole hours the two give the same figures (one
 * computation, {@link FiguresSum}); over a window of minutes only the raw tier can answer, and it
 * counts exactly the results that ended in the window.
 */
class RawEvidenceTest {
    private static final long HOUR = 3_600_000L;
    private static final long START = Instant.parse("2026-03-02T00:00:00Z").toEpochMilli();

    @TempDir
    Path dir;

    @Test
    void rawAndHourlyTiersAgreeOverWholeHoursAndOnlyRawResolvesMinutes() throws Exception {
        MutableClock clock = new MutableClock(START);
        Timer transactions = Timer.builder("t").register(new SimpleMeterRegistry());
        try (JdbcArchive archive = JdbcArchive.openSqlite(dir.resolve("archive.db"), ArchiveRetention.DEFAULT, clock,
                transactions)) {
            Random r = new Random(7);
            List<Sample> samples = new ArrayList<>();
            for (long t = START + 60_000; t <= START + 3 * HOUR; t += 60_000) { // a window a minute, 3 hours
                int[] rtts = new int[30];
                for (int k = 0; k < rtts.length; k++) {
                    rtts[k] = 20_000 + r.nextInt(30_000);
                }
                long lostUp = r.nextInt(3);
                long lostDown = r.nextInt(3);
                samples.add(new LatencyWindow("hub", t - 60_000, t - 1, 300, 300 - lostUp - lostDown, lostUp, lostDown,
                        0, 0, new LatencyWindow.RttSummary(20_000, 30_000, 40_000, 45_000, 50_000, 33_000), 500, null,
                        null, 0, 0, null, null, rtts));
                if ((t - START) % (10 * 60_000) == 0) { // a test each way every 10 minutes
                    samples.add(test(t - 2, "down", 70 + 10 * r.nextDouble(), r.nextBoolean() ? "A" : "B"));
                    samples.add(test(t - 1, "up", 15 + 5 * r.nextDouble(), "A"));
                }
            }
            clock.advance(Duration.ofMillis(3 * HOUR + 10 * 60_000));
            StoreResult stored = archive.store(ArchiveBatch.of("s1", "s1-agent", 1, clock.millis(), "{}", samples))
                    .get(60, TimeUnit.SECONDS);
            assertEquals(StoreResult.Outcome.STORED, stored.outcome());
            assertTrue(archive.rollUp() > 0, "the three complete hours are rolled up");

            RawEvidence raw = new RawEvidence(archive);
            RollupEvidence rollups = new RollupEvidence(archive);
            Figures fromRaw = raw.figures("s1", START, START + 3 * HOUR);
            Figures fromRollups = rollups.figures("s1", START, START + 3 * HOUR);
            assertEquals(180, fromRaw.windows());
            assertEquals(18, fromRaw.downTests());
            assertEquals(fromRollups, fromRaw, "whole hours: the same figures from either tier");

            long from = START + HOUR + 10 * 60_000;
            long to = from + 20 * 60_000;
            Figures minutes = raw.figures("s1", from, to);
            assertEquals(20, minutes.windows(), "the windows that ended in those 20 minutes");
            assertEquals(2, minutes.downTests());
            assertEquals(2, minutes.upTests());
            assertEquals(0, rollups.figures("s1", from, to).windows(), "no hour starts in those 20 minutes");

            TieredEvidence tiered = new TieredEvidence(archive, clock);
            assertEquals(Tier.RAW, tiered.tierFor(from));
            assertEquals(minutes, tiered.figures("s1", from, to));
            clock.advance(Duration.ofDays(15));
            assertEquals(Tier.HOURLY, tiered.tierFor(from), "older than the raw tier's 14 days: the rollups");
            System.out.printf("RawEvidence: 3 h from raw %s; from rollups %s; 20 min from raw: %d windows, %d/%d tests%n",
                    fromRaw, fromRollups, minutes.windows(), minutes.downTests(), minutes.upTests());
        }
    }

    private static ThroughputResult test(long t, String direction, double mbps, String grade) {
        return new ThroughputResult("hub", t - 10_000, t, direction, "ok", null, 1, (long) (mbps * 1.25e6),
                10, mbps * 1e6 / 8, mbps * 1e6 / 8, true, 1000, List.of(), null,
                new ThroughputResult.LoadedLatency(12_000, 20_000, 25_000, 8_000, 900, grade, 50, 50));
    }
}
