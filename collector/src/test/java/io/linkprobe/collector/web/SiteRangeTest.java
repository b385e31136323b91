package io.linkprobe.collector.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.collector.MutableClock;
import io.linkprobe.collector.TestCollector;
import io.linkprobe.collector.archive.Archive;
import io.linkprobe.collector.archive.ArchiveBatch;
import io.linkprobe.collector.archive.StoreResult;
import io.linkprobe.collector.archive.Tier;
import io.linkprobe.common.testing.Samples;
import io.linkprobe.common.wire.Sample;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The site page's range picker against a real collector whose archive holds 40 days of one site,
 * written day by day through the archive's own write path at the default retention (raw 14 days),
 * rolled up, and the raw tier then cut to 14 days: 24 h and 7 d plot raw windows, 30 d plots the
 * hourly rollups (the only tier still holding its first weeks), and each page says which.
 */
class SiteRangeTest {
    private static final long DAY = 86_400_000L;
    private static final long HOUR = 3_600_000L;
    private static final int DAYS = 40;
    /** RTT p50 of the seeded windows: 30 ms until 20 days ago, 12 ms since (plus 0.8 ms: the middle of three RTTs). */
    private static final double BEFORE_MS = 30.8;
    private static final double AFTER_MS = 12.8;

    @TempDir
    Path dir;
    TestCollector c;
    long now;

    @BeforeEach
    void seed() throws Exception {
        now = System.currentTimeMillis() / HOUR * HOUR + 20 * 60_000L;
        MutableClock clock = new MutableClock(now - DAYS * DAY);
        c = TestCollector.start(dir, Map.of("hq", "tok-hq"), clock, config -> config);
        Archive archive = c.collector.archive();
        long sequence = 0;
        for (long day = now - DAYS * DAY; day < now; day += DAY) {
            clock.set(Math.min(now, day + DAY));
            List<Sample> samples = new ArrayList<>();
            for (long t = day + HOUR; t <= Math.min(day + DAY, now - 60_000L); t += HOUR) {
                int rtt = t < now - 20 * DAY ? 30_000 : 12_000;
                samples.add(Samples.window("hub", t, new int[] {rtt, rtt + 800, rtt + 2_500}, 0, 0));
            }
            samples.add(Samples.throughput("hub", day + 9 * HOUR, "down", day < now - 20 * DAY ? 250_000 : 9_800_000));
            samples.add(Samples.connect("hub", day + 9 * HOUR, 15_000));
            assertEquals(StoreResult.Outcome.STORED, archive.store(ArchiveBatch.of("hq", "history", ++sequence,
                    clock.millis(), "{}", samples)).get(60, TimeUnit.SECONDS).outcome());
        }
        clock.set(now);
        archive.rollUp();
        c.collector.enforceRetention().get(60, TimeUnit.SECONDS);
        assertEquals(200, c.push("tok-hq", Samples.batch("hq", 1, Samples.window("hub", now - 1_000,
                new int[] {12_000, 12_800, 14_500}, 0, 0))).statusCode());
        assertTrue(archive.history("hq", now - 30 * DAY, now - 16 * DAY, 10).isEmpty(),
                "the raw tier no longer holds the first weeks of the month");
    }

    @AfterEach
    void close() {
        c.close();
    }

    @Test
    void theDefaultRangeIs24HoursOfRawWindowsAndLinksTheOthers() throws Exception {
        String page = c.get("/sites/hq").body();
        assertTrue(page.contains("Plots over <strong>24 h</strong> · <a href=\"/sites/hq?range=7d\">7 days</a> · "
                + "<a href=\"/sites/hq?range=30d\">30 days</a>"), page);
        assertTrue(page.contains("(raw tier: every 60 s window with its p50 and p90, loss summed per minute)"), page);
        assertTrue(page.contains("<h2>RTT, last 24 h</h2>") && page.contains("<h2>Throughput, last 7 days</h2>"), page);
        assertTrue(page.contains("Each successful test, from the raw tier."), page);
        assertEquals(4, Fleet.count(page, "<svg class=\"plot\""), "RTT, loss, throughput and connect plots");
    }

    @Test
    void sevenDaysPlotTenMinuteMeansOfTheRawWindows() throws Exception {
        String page = c.get("/sites/hq?range=7d").body();
        assertTrue(page.contains("<a href=\"/sites/hq\">24 h</a> · <strong>7 days</strong>"), page);
        assertTrue(page.contains("(raw tier: 10-minute means of the p50 and p90 of the 60 s windows"), page);
        assertTrue(page.contains("<h2>RTT, last 7 days</h2>"), page);

        SiteHistory week = history(PlotRange.WEEK);
        assertEquals(Tier.RAW, week.tier);
        SiteHistory.Series hub = week.rtt.get(0);
        assertTrue(hub.times().length >= 7 * 24 && hub.times().length <= 7 * 24 + 2, hub.times().length + " points");
        assertTrue(hub.times()[0] >= now - 7 * DAY, "nothing before the range");
        assertEquals(AFTER_MS, hub.first()[0], 0.01, "a window's own p50");
    }

    @Test
    void thirtyDaysPlotTheHourlyRollupsBeyondTheRawRetention() throws Exception {
        String page = c.get("/sites/hq?range=30d").body();
        assertTrue(page.contains("<strong>30 days</strong>"), page);
        assertTrue(page.contains("(hourly tier: a point per hour, p50 and p90 of all RTTs in the hour"), page);
        assertTrue(page.contains("<h2>Throughput, last 30 days</h2>") && page.contains("from the hourly tier."), page);

        SiteHistory month = history(PlotRange.MONTH);
        assertEquals(Tier.HOURLY, month.tier);
        assertEquals(Tier.HOURLY, month.throughputTier);
        SiteHistory.Series hub = month.rtt.get(0);
        assertTrue(hub.times().length >= 30 * 24 - 2, hub.times().length + " points");
        assertTrue(hub.times()[0] < now - 29 * DAY, "the month's first days, which only the hourly tier still holds");
        assertEquals(BEFORE_MS, hub.first()[0], BEFORE_MS * 0.02, "the hour's p50 from its sketch (1 % accurate)");
        assertEquals(AFTER_MS, hub.first()[hub.first().length - 1], 0.01, "the newest point: the raw window pushed now");
        assertEquals(30, month.down.times().length, "a test a day, from the rollups");
        assertEquals(2.0, month.down.first()[0], 1e-9, "250 kB/s = 2 Mbit/s before the upgrade");
        assertFalse(month.connect.isEmpty(), "connect medians per hour");
    }

    @Test
    void anUnknownRangeIsABadRequestSayingTheChoices() throws Exception {
        HttpResponse<String> page = c.get("/sites/hq?range=1y");
        assertEquals(400, page.statusCode());
        assertTrue(page.body().contains("The plot range must be 24h, 7d or 30d, not &#39;1y&#39;."), page.body());
    }

    private SiteHistory history(PlotRange range) throws Exception {
        ArchivedResults archived = new ArchivedResults(c.collector.archive());
        List<io.linkprobe.common.wire.LatencyWindow> day = archived.windows("hq", now, ArchivedResults.MAX_WINDOWS);
        return SiteHistory.load(archived, "hq", range, now, day, archived.connects("hq", now, SitePage.MAX_CONNECTS),
                archived.tests("hq", now, SitePage.THROUGHPUT_SPAN, SitePage.MAX_TESTS));
    }
}
