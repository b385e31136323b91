package io.linkprobe.collector.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.collector.MutableClock;
import io.linkprobe.collector.archive.JdbcArchive;
import io.linkprobe.collector.config.Limits;
import io.linkprobe.collector.sites.DaySeries;
import io.linkprobe.collector.metrics.LinkAggregator;
import io.linkprobe.collector.sites.SiteRegistry;
import io.linkprobe.common.testing.Samples;
import io.linkprobe.common.wire.AgentIdentity;
import io.linkprobe.common.wire.LatencyWindow;
import io.linkprobe.common.wire.Sample;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status table rendered in-process from a {@link SiteRegistry} filled directly: paging, names
 * that the push API would refuse (defence in depth), and the render time with 10,000 sites.
 */
class StatusPageRenderTest {
    final MutableClock clock = new MutableClock(1_760_000_000_000L);
    /** Meters go to a registry without children (no-ops): this test is about the page. */
    final SiteRegistry directory = new SiteRegistry(Limits.DEFAULT, Duration.ofHours(1),
            new LinkAggregator(new CompositeMeterRegistry(), Timer.builder("delay").register(new CompositeMeterRegistry())));
    JdbcArchive archive;
    StatusPage page;

    /** An empty archive: every site's series refill finds nothing, as for sites new since the start. */
    @BeforeEach
    void open(@TempDir Path dir) throws Exception {
        archive = JdbcArchive.openSqlite(dir.resolve("archive.db"), io.linkprobe.collector.archive.ArchiveRetention.DEFAULT, clock,
                Timer.builder("archive").register(new SimpleMeterRegistry()));
        page = new StatusPage(directory, archive, clock, Runnable::run);
    }

    @AfterEach
    void close() {
        archive.close();
    }

    /** Site {@code i}: 24 h of windows (one per 15 min) with varying RTT and some loss, and a test each way. */
    void addSite(String site, int i, String target) {
        long now = clock.millis();
        AgentIdentity agent = new AgentIdentity(site, "agent-" + site, "boot", "0.1.0",
                Map.of("region", "region-" + (i % 12), "link", List.of("fttp", "sogea", "adsl", "fttc").get(i % 4)),
                new AgentIdentity.Contract(10_000_000, 2_500_000));
        List<Sample> samples = new ArrayList<>();
        for (int b = DaySeries.BUCKETS - 1; b >= 0; b--) {
            double p50 = 8_000 + (i % 50) * 400 + (b % 7) * 300;
            int lostUp = (i + b) % 3 == 0 ? 1 : 0;
            int lostDown = (i + b) % 5 == 4 ? 2 : 0;
            samples.add(new LatencyWindow(target, now - b * DaySeries.BUCKET_MILLIS - 60_000, now - b * DaySeries.BUCKET_MILLIS,
                    300, 300 - lostUp - lostDown, lostUp, lostDown, 0, 0,
                    new LatencyWindow.RttSummary(p50 * 0.8, p50, p50 * 1.4, p50 * 2, p50 * 3, p50 * 1.1),
                    300, null, null, 13_200, 13_000, null, null, null));
        }
        samples.add(Samples.throughput(target, now - 30_000, "down", 5_000_000 + (i % 10) * 600_000));
        samples.add(Samples.throughput(target, now - 20_000, "up", 2_000_000));
        // Every 20th site went silent 10 min ago: down.
        directory.record(agent, samples, i % 20 == 0 ? now - 600_000 : now);
    }

    @Test
    void pagesHoldTwoHundredRowsWithLinksToTheOthers() {
        for (int i = 0; i < 450; i++) {
            addSite(String.format(Locale.ROOT, "site-%04d", i), i, "hub");
        }

        String first = page.render(SiteQuery.DEFAULT);
        assertEquals(StatusPage.PAGE_SIZE, Fleet.siteOrder(first).size());
        assertTrue(first.contains("<span>1–200 of 450</span><a href=\"/?page=2\">next ›</a><a href=\"/?page=3\">last »</a>"),
                first.substring(first.indexOf("class=\"pager\"")));
        String byRttPage3 = page.render(new SiteQuery(null, null, null, null, SiteColumn.RTT, true, 3));
        assertEquals(50, Fleet.siteOrder(byRttPage3).size());
        assertTrue(byRttPage3.contains("<a href=\"/?sort=rtt&amp;dir=desc&amp;page=2\">‹ previous</a>"));
        assertTrue(byRttPage3.contains("(page 3 of 3)"));
        String beyond = page.render(new SiteQuery(null, null, null, null, SiteColumn.RTT, true, 99));
        assertEquals(Fleet.siteOrder(byRttPage3), Fleet.siteOrder(beyond), "a page past the end shows the last");
        List<String> down = Fleet.siteOrder(first).subList(0, 23);
        assertTrue(down.stream().allMatch(s -> Integer.parseInt(s.substring(5)) % 20 == 0), "the 23 silent sites first: " + down);
    }

    @Test
    void namesThePushApiWouldRefuseAreStillEscaped() {
        addSite("x\"><script>alert(1)</script>", 1, "t'<b>");

        String html = page.render(SiteQuery.DEFAULT);

        assertFalse(html.contains("<script") || html.contains("<b>"), html);
        assertTrue(html.contains("<a href=\"/sites/x%22%3E%3Cscript%3Ealert%281%29%3C%2Fscript%3E\">"
                + "x&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</a>"), html);
        assertTrue(html.contains("title=\"to t&#39;&lt;b&gt;\""), "the RTT cell's target");
    }

    /** Benchmark (tag {@code load}, run by .ci/run, not by {@code mvn verify}): prints the render time. */
    @Test
    @Tag("load")
    void tenThousandSitesRender() {
        for (int i = 0; i < 10_000; i++) {
            addSite(String.format(Locale.ROOT, "site-%05d", i), i, i % 3 == 0 ? "hub-a" : "hub-b");
        }
        SiteQuery byRtt = new SiteQuery("region-3", null, null, null, SiteColumn.RTT, true, 2);
        for (int warm = 0; warm < 3; warm++) {
            page.render(SiteQuery.DEFAULT);
            page.render(byRtt);
        }
        long[] defaultNanos = new long[7];
        long[] filteredNanos = new long[7];
        String html = "";
        for (int run = 0; run < defaultNanos.length; run++) {
            long t0 = System.nanoTime();
            html = page.render(SiteQuery.DEFAULT);
            long t1 = System.nanoTime();
            page.render(byRtt);
            filteredNanos[run] = System.nanoTime() - t1;
            defaultNanos[run] = t1 - t0;
        }
        Arrays.sort(defaultNanos);
        Arrays.sort(filteredNanos);
        System.out.printf(Locale.ROOT, "status page, 10,000 sites: default view (200 rows, worst first) median %.1f ms,"
                        + " max %.1f ms, %d kB; region filter + RTT sort, page 2: median %.1f ms%n",
                defaultNanos[3] / 1e6, defaultNanos[6] / 1e6, html.length() / 1000, filteredNanos[3] / 1e6);
        assertEquals(StatusPage.PAGE_SIZE, Fleet.count(html, "<svg class=\"spark\""), "a sparkline on every row");
    }
}
