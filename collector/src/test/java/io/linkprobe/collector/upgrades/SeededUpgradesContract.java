package io.linkprobe.collector.upgrades;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.collector.MutableClock;
import io.linkprobe.collector.archive.ArchiveBatch;
import io.linkprobe.collector.archive.JdbcArchive;
import io.linkprobe.collector.archive.StoreResult;
import io.linkprobe.collector.archive.Tier;
import io.linkprobe.common.wire.LatencyWindow;
import io.linkprobe.common.wire.Sample;
import io.linkprobe.common.wire.ThroughputResult;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * 100 sites × 120 days pushed through the archive's own write path at the default retention (raw
 * 14 days, hourly 400 days), a day at a time with retention enforced weekly, as a running collector
 * would: one latency window an hour with its raw RTTs and two tests a day each way per site, a
 * quarter each delivered, half the contract, worse latency, too little data after the cut-over.
 * Every cut-over is older than the raw tier by the end, so the verdicts come from the hourly
 * rollups alone, and they must be the seeded ones. Run on SQLite and on PostgreSQL.
 */
abstract class SeededUpgradesContract {
    static final long DAY = 86_400_000L;
    static final long START = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    static final int SITES = 100;
    static final int DAYS = 120;
    private static final Verdict.Outcome[] KINDS = {Verdict.Outcome.DELIVERED, Verdict.Outcome.NOT_DELIVERED,
        Verdict.Outcome.PARTLY_DELIVERED, Verdict.Outcome.INSUFFICIENT_DATA};

    final MutableClock clock = new MutableClock(START);
    final Timer transactions = Timer.builder("t").register(new SimpleMeterRegistry());

    abstract JdbcArchive open() throws Exception;

    abstract String engine();

    @Test
    void verdictsOfTheSeededSitesAreTheKnownOutcomes() throws Exception {
        Map<String, Verdict.Outcome> expected = new HashMap<>();
        Map<String, Long> cuts = new HashMap<>();
        Map<String, Random> randoms = new HashMap<>();
        for (int i = 0; i < SITES; i++) {
            String site = String.format("site-%03d", i);
            expected.put(site, KINDS[i % 4]);
            cuts.put(site, START + (40 + i % 40) * DAY);
            randoms.put(site, new Random(i));
        }
        try (JdbcArchive archive = open(); CutOverStore store = new CutOverStore(archive.dialect())) {
            long seeded = 0;
            long t0 = System.nanoTime();
            for (int day = 0; day < DAYS; day++) {
                long dayStart = START + day * DAY;
                clock.advance(Duration.ofMillis(dayStart + DAY + 60_000 - clock.millis())); // pushed just after the day
                List<CompletableFuture<StoreResult>> pending = new ArrayList<>();
                for (int i = 0; i < SITES; i++) {
                    String site = String.format("site-%03d", i);
                    List<Sample> samples = day(site, expected.get(site), cuts.get(site), dayStart, randoms.get(site));
                    if (samples.isEmpty()) {
                        continue;
                    }
                    seeded += samples.size();
                    pending.add(archive.store(ArchiveBatch.of(site, site + "-agent", day, clock.millis(), "{}", samples)));
                }
                for (CompletableFuture<StoreResult> f : pending) {
                    assertEquals(StoreResult.Outcome.STORED, f.get(60, TimeUnit.SECONDS).outcome());
                }
                if (day % 7 == 6) {
                    archive.enforceRetention().get(120, TimeUnit.SECONDS);
                }
            }
            archive.enforceRetention().get(120, TimeUnit.SECONDS);
            long seedMs = (System.nanoTime() - t0) / 1_000_000;
            for (Map.Entry<String, Long> c : cuts.entrySet()) {
                store.record(new CutOver(c.getKey(), c.getValue(), "fibre", 80, 20, CutOver.Source.FLEET));
                assertEquals(Tier.HOURLY, archive.tierFor(c.getValue() - Upgrades.BEFORE.toMillis(), clock.millis()));
            }
            assertTrue(archive.history("site-000", START, START + 30 * DAY, 10).isEmpty(),
                    "the raw tier no longer holds the first month");

            Upgrades upgrades = new Upgrades(store, new RollupEvidence(archive), clock, s -> "r" + s.charAt(6),
                    Upgrades.BEFORE, Upgrades.SETTLE, Upgrades.AFTER);
            long t1 = System.nanoTime();
            List<SiteUpgrade> verdicts = upgrades.verdicts(null);
            long ms = (System.nanoTime() - t1) / 1_000_000;
            Map<Verdict.Outcome, Integer> counts = new EnumMap<>(Verdict.Outcome.class);
            for (SiteUpgrade u : verdicts) {
                assertEquals(expected.get(u.site()), u.verdict().outcome(), u.site() + ": " + u.verdict().reasons()
                        + " before " + u.before() + " after " + u.after());
                counts.merge(u.verdict().outcome(), 1, Integer::sum);
            }
            assertEquals(SITES, verdicts.size());
            assertEquals(10, upgrades.verdicts("r1").size());
            System.out.printf("SeededUpgrades (%s): %d samples of %d sites x %d days stored and rolled up in %d ms;"
                    + " verdicts from the hourly tier %s in %d ms%n", engine(), seeded, SITES, DAYS, seedMs, counts, ms);
        }
    }

    /** One site's samples of one day: a window an hour, two tests each way. */
    private static List<Sample> day(String site, Verdict.Outcome kind, long cut, long dayStart, Random r) {
        List<Sample> out = new ArrayList<>();
        long lastDay = kind == Verdict.Outcome.INSUFFICIENT_DATA ? cut + 5 * DAY : START + DAYS * DAY;
        for (long t = dayStart + 3_600_000L; t <= dayStart + DAY && t <= lastDay; t += 3_600_000L) {
            boolean after = t >= cut;
            double rttMs = after ? (kind == Verdict.Outcome.PARTLY_DELIVERED ? 60 : 12) : 30;
            int[] rtts = new int[20];
            for (int k = 0; k < rtts.length; k++) {
                rtts[k] = (int) (rttMs * 1000 * (1 + 0.1 * r.nextDouble()));
            }
            long sent = 18_000;
            long lostUp = after ? 0 : r.nextInt(20);
            long lostDown = after ? 0 : r.nextInt(20);
            out.add(new LatencyWindow("hub", t - 60_000, t - 1, sent, sent - lostUp - lostDown, lostUp,
                    lostDown, 0, 0, new LatencyWindow.RttSummary(rttMs * 800, rttMs * 1000, rttMs * 1200,
                    rttMs * 1500, rttMs * 2000, rttMs * 1050), 500, null, null, 0, 0, null, null, rtts));
            if ((t - START) % (12 * 3_600_000L) == 0) {
                double down = after ? (kind == Verdict.Outcome.NOT_DELIVERED ? 40 : 78) : 2;
                double up = after ? (kind == Verdict.Outcome.NOT_DELIVERED ? 10 : 19.5) : 0.5;
                String grade = after ? "A" : "D";
                out.add(test(t - 2, "down", down * (0.97 + 0.06 * r.nextDouble()), grade));
                out.add(test(t - 2, "up", up * (0.97 + 0.06 * r.nextDouble()), grade));
            }
        }
        return out;
    }

    private static ThroughputResult test(long t, String direction, double mbps, String grade) {
        return new ThroughputResult("hub", t - 10_000, t, direction, "ok", null, 1, (long) (mbps * 1.25e6),
                10, mbps * 1e6 / 8, mbps * 1e6 / 8, true, 1000, List.of(), null,
                new ThroughputResult.LoadedLatency(12_000, 20_000, 25_000, 8_000, 900, grade, 50, 50));
    }
}
