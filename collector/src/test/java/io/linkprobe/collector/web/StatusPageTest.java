package io.linkprobe.collector.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.collector.TestCollector;
import io.linkprobe.common.testing.Samples;
import io.linkprobe.common.wire.AgentIdentity;
import io.linkprobe.common.wire.ConnectResult;
import io.linkprobe.common.wire.PushBatch;
import io.linkprobe.common.wire.ThroughputResult;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The status page and the site pages of a real collector on port 0, fed through the push API. */
class StatusPageTest {
    static final String HOSTILE = "<script>alert(1)</script>\"quoted\" 'single' & more";

    @TempDir
    Path dir;
    TestCollector c;
    Fleet fleet;
    long now;

    @BeforeEach
    void start() throws Exception {
        c = TestCollector.start(dir, Fleet.TOKENS);
        fleet = new Fleet(c);
        now = fleet.now;
    }

    @AfterEach
    void stop() {
        c.close();
    }

    @Test
    void pageIsUncachedHtmlWithSummaryAndWorstSitesFirst() throws Exception {
        fleet.pushFleet();
        HttpResponse<String> page = c.get("/");

        assertEquals(200, page.statusCode());
        assertEquals("text/html; charset=utf-8", page.headers().firstValue("Content-Type").orElse(""));
        assertEquals("no-store", page.headers().firstValue("Cache-Control").orElse(""));
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'none'"));
        String html = page.body();
        assertTrue(html.contains("<strong>4 sites</strong>"), html);
        assertTrue(html.contains(">2 ok</a>") && html.contains(">1 degraded</a>") && html.contains(">1 down</a>"), html);
        assertEquals(List.of("hull-clinic", "york-hosp", "leeds-gp", "quiet-site"), Fleet.siteOrder(html),
                "down, then degraded, then ok; ties by name");
        String leeds = Fleet.row(html, "leeds-gp");
        assertTrue(leeds.contains("78.1 / 80\u00a0Mbit/s, 98\u00a0%"), leeds);
        assertTrue(leeds.contains("19.2 / 20\u00a0Mbit/s, 96\u00a0%"), leeds);
        assertTrue(leeds.contains("<span class=\"warn\">C</span>"), "grade C from the throughput samples: " + leeds);
        assertTrue(Fleet.row(html, "york-hosp").contains("<span class=\"bad\">8 / 20\u00a0Mbit/s, 40\u00a0%</span>"),
                "up at 40 % of contract is red: " + Fleet.row(html, "york-hosp"));
        assertTrue(Fleet.row(html, "york-hosp").contains("<span class=\"bad\">20 %</span> / 0 %"), Fleet.row(html, "york-hosp"));
        assertTrue(Fleet.row(html, "york-hosp").contains("32 ms"), "RTT p50 of the latest window");
    }

    @Test
    void sparklineDrawsTheHistoryOfASiteThatHasOne() throws Exception {
        fleet.pushFleet();
        String html = c.get("/").body();

        String leeds = Fleet.row(html, "leeds-gp");
        Matcher path = Pattern.compile("<svg class=\"spark\"[^>]*>.*<path d=\"([^\"]+)\"").matcher(leeds);
        assertTrue(path.find(), leeds);
        // 6 h of windows fill 24 or 25 of the 96 quarter-hour buckets: one line of that many points.
        int points = path.group(1).split("[ML]").length - 1;
        assertTrue(points >= 24 && points <= 25, points + " points in " + path.group(1));
        assertFalse(Fleet.row(html, "quiet-site").contains("<svg"), "no history, no sparkline");
        assertTrue(Fleet.row(html, "quiet-site").contains("no data"));
    }

    @Test
    void filtersByRegionLinkAndHealthAndOffersTheValuesPresent() throws Exception {
        fleet.pushFleet();

        assertEquals(List.of("york-hosp", "leeds-gp"), Fleet.siteOrder(c.get("/?region=yorkshire").body()));
        assertEquals(List.of("hull-clinic", "leeds-gp"), Fleet.siteOrder(c.get("/?link=fttp").body()));
        assertEquals(List.of("hull-clinic"), Fleet.siteOrder(c.get("/?region=humber&link=fttp").body()));
        assertEquals(List.of("leeds-gp", "quiet-site"), Fleet.siteOrder(c.get("/?health=ok").body()));
        assertEquals(List.of("york-hosp"), Fleet.siteOrder(c.get("/?q=YORK").body()));
        String html = c.get("/?region=humber").body();
        assertTrue(html.contains("<option value=\"humber\" selected>humber</option>"), html);
        assertTrue(html.contains("<option value=\"yorkshire\">yorkshire</option>"));
        assertTrue(html.contains("<option value=\"adsl\">adsl</option><option value=\"fttp\">fttp</option>"
                + "<option value=\"sogea\">sogea</option>"));
        assertTrue(html.contains("2 match the filter"), html);
    }

    @Test
    void sortsByEachColumnBothWaysWithLinksThatKeepTheFilter() throws Exception {
        fleet.pushFleet();

        assertEquals(List.of("hull-clinic", "leeds-gp", "quiet-site", "york-hosp"), Fleet.siteOrder(c.get("/?sort=site").body()));
        assertEquals(List.of("york-hosp", "quiet-site", "leeds-gp", "hull-clinic"),
                Fleet.siteOrder(c.get("/?sort=site&dir=desc").body()));
        assertEquals(List.of("york-hosp", "leeds-gp", "hull-clinic", "quiet-site"), Fleet.siteOrder(c.get("/?sort=rtt").body()),
                "highest RTT first; sites without any last");
        assertEquals(List.of("leeds-gp", "york-hosp", "hull-clinic", "quiet-site"),
                Fleet.siteOrder(c.get("/?sort=rtt&dir=asc").body()), "without RTT stays last ascending too");
        assertEquals(List.of("hull-clinic", "york-hosp", "leeds-gp", "quiet-site"), Fleet.siteOrder(c.get("/?sort=loss").body()));
        assertEquals(List.of("leeds-gp", "hull-clinic", "quiet-site", "york-hosp"), Fleet.siteOrder(c.get("/?sort=down").body()),
                "only leeds has a test; the rest by name");
        assertEquals(List.of("hull-clinic", "quiet-site", "leeds-gp", "york-hosp"), Fleet.siteOrder(c.get("/?sort=region").body()));
        String filtered = c.get("/?region=yorkshire&sort=rtt").body();
        assertTrue(filtered.contains("<a href=\"/?region=yorkshire&amp;sort=rtt&amp;dir=asc\">RTT p50 ▼</a>"),
                "the current column flips, the filter stays: " + filtered);
        assertTrue(filtered.contains("<a href=\"/?region=yorkshire&amp;sort=site&amp;dir=asc\">Site</a>"));
    }

    @Test
    void agentSuppliedTextIsEscapedInTheTableAndTheSitePage() throws Exception {
        AgentIdentity evil = new AgentIdentity("evil", "agent-evil", "boot-1", "1.0<script>x</script>'\"",
                Map.of("region", HOSTILE, "link", "'><img src=x onerror=alert(2)>"), new AgentIdentity.Contract(1e6, 1e6));
        ThroughputResult failed = new ThroughputResult("hub", now - 20_000, now - 10_000, "down", "error", HOSTILE, 1,
                0, 0, 0, 0, false, 100, List.of(), null, null);
        fleet.push("evil", evil, 1, Samples.window("hub", now - 1_000, new int[] {1_000}, 0, 0), failed,
                new ConnectResult("web", "<b>host</b>", 443, now - 1_000, false, null, HOSTILE));
        // Names that become label values are refused at the door, so they never reach a page.
        HttpResponse<String> hostileTarget = c.push(Fleet.TOKENS.get("evil"),
                new PushBatch(evil, 2, List.of(Samples.window("<script>", now - 1_000, new int[] {1_000}, 0, 0))));
        assertEquals(400, hostileTarget.statusCode());

        String table = c.get("/").body();
        String site = c.get("/sites/evil").body();
        for (String html : List.of(table, site)) {
            assertFalse(html.contains("<script"), "no script element at all");
            assertFalse(html.contains("<img"), html);
            assertFalse(html.contains("'single'") || html.contains("\"quoted\""), "quotes escaped");
            assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;quoted&quot; &#39;single&#39; &amp; more"),
                    html);
        }
        assertTrue(table.contains("<option value=\"&lt;script&gt;alert(1)&lt;/script&gt;&quot;quoted&quot;"
                + " &#39;single&#39; &amp; more\">"), "attribute values escaped too");
        assertTrue(site.contains("1.0&lt;script&gt;x&lt;/script&gt;&#39;&quot;"), "agent version");
        assertTrue(site.contains("&lt;b&gt;host&lt;/b&gt;:443"), "connect host");
        String filtered = c.get("/?region=" + Html.queryValue(HOSTILE)).body();
        assertEquals(List.of("evil"), Fleet.siteOrder(filtered));
        assertTrue(filtered.contains("href=\"/?region=%3Cscript%3Ealert%281%29%3C%2Fscript%3E%22quoted%22+%27single%27"
                + "+%26+more&amp;sort=site&amp;dir=asc\""), "query values are percent-encoded, then escaped");
    }

    @Test
    void queryParametersAreNotReflectedAsMarkup() throws Exception {
        fleet.pushFleet();
        String hostile = Html.queryValue(HOSTILE);

        String html = c.get("/?region=" + hostile + "&link=" + hostile + "&health=" + hostile + "&q=" + hostile
                + "&sort=%3Cscript%3E&page=%3Cscript%3E").body();

        assertFalse(html.contains("<script") || html.contains("'single'") || html.contains("\"quoted\""), html);
        assertTrue(html.contains("<input type=\"text\" name=\"q\" value=\"&lt;script&gt;alert(1)&lt;/script&gt;"
                + "&quot;quoted&quot; &#39;single&#39; &amp; more\""), html);
        assertTrue(html.contains("<p>No site matches.</p>"));
    }

    @Test
    void sitePageShowsRecentResultsAndPlots() throws Exception {
        fleet.pushFleet();
        fleet.push("leeds-gp", Fleet.agent("leeds-gp", "yorkshire", "fttp", "0.1.0", 10_000_000), 3,
                Samples.connect("web", now - 2_000, 12_500));
        HttpResponse<String> page = c.get("/sites/leeds-gp");

        assertEquals(200, page.statusCode());
        assertEquals("no-store", page.headers().firstValue("Cache-Control").orElse(""));
        String html = page.body();
        assertEquals(4, Fleet.count(html, "<svg class=\"plot\""), "RTT, loss, throughput and connect plots");
        assertTrue(html.contains("hub p50</span>") && html.contains("hub p90 (dashed)</span>"), html);
        assertTrue(html.contains("contract down (dotted): 80 Mbit/s"), html);
        assertTrue(html.contains("<td>down</td><td class=\"wrap\">ok</td><td class=\"num pair\">78.1 / 80\u00a0Mbit/s, 98\u00a0%</td>"), html);
        assertTrue(html.contains("49\u00a0ms / 80\u00a0ms"), "loaded RTT p50 / p90");
        assertTrue(html.contains("<span class=\"warn\">C</span>"), "grade");
        assertTrue(html.contains("<td class=\"num\">12</td><td>cubic</td>"), "retransmits and the sender's algorithm");
        String recent = html.substring(html.indexOf("Recent latency windows"), html.indexOf("Throughput tests</h2>"));
        assertEquals(SiteDetail.RECENT_ROWS, Fleet.count(recent, "<td class=\"name\">hub</td>"), "the newest windows, not all 360");
        assertTrue(html.contains("12.5 ms"), "connect time");
    }

    @Test
    void sparklinesComeBackFromTheArchiveAfterARestart() throws Exception {
        fleet.pushFleet();
        c.close();
        c = TestCollector.start(dir, Fleet.TOKENS, c.clock, config -> config);

        // The in-memory series is gone; the rows shown refill theirs from the archive.
        String leeds = Fleet.row(c.get("/").body(), "leeds-gp");
        Matcher path = Pattern.compile("<path d=\"([^\"]+)\" fill=\"none\"").matcher(leeds);
        assertTrue(path.find(), leeds);
        int points = path.group(1).split("[ML]").length - 1;
        assertTrue(points >= 24 && points <= 25, points + " points in " + path.group(1));
    }

    @Test
    void unknownSiteIsANotFoundPage() throws Exception {
        HttpResponse<String> page = c.get("/sites/%3Cscript%3Enobody");

        assertEquals(404, page.statusCode());
        assertEquals("text/html; charset=utf-8", page.headers().firstValue("Content-Type").orElse(""));
        assertTrue(page.body().contains("No site &#39;&lt;script&gt;nobody&#39; is known"), page.body());
        assertFalse(page.body().contains("<script"));
    }

    @Test
    void aTargetThatDoesNotAnswerReadsNoReplyNotUpstreamLoss() throws Exception {
        fleet.pushFleet();
        String hull = Fleet.row(c.get("/").body(), "hull-clinic");
        assertTrue(hull.contains("<span class=\"bad\">no reply</span>"), hull);
        assertFalse(hull.contains("60 %"), "3 of 5 probes 'lost up' is the reflector's unknown counter, not the site's upstream: " + hull);
        String page = c.get("/sites/hull-clinic").body();
        assertTrue(page.contains("<td class=\"bad\" colspan=\"2\">no reply"), page);
        assertFalse(page.contains("60.0 %"), page);
    }

    @Test
    void sitePagesRefreshLikeTheIndexAndDrawP50P90AndContractInTheirOwnColours() throws Exception {
        fleet.pushFleet();
        String page = c.get("/sites/leeds-gp").body();
        assertTrue(page.contains("<meta http-equiv=\"refresh\" content=\"" + StatusPage.REFRESH_SECONDS + "\">"), page);
        for (int target = 0; target < SiteDetail.PLOTTED_TARGETS; target++) {
            for (int other = 0; other < SiteDetail.PLOTTED_TARGETS; other++) {
                assertFalse(Plot.p50Color(target).equals(Plot.p90Color(other)), "a p90 never wears a p50's colour");
            }
        }
        java.util.Set<String> throughput = new java.util.HashSet<>(List.of(Plot.contractColor(0), Plot.contractColor(1),
                Plot.color(0), Plot.color(1)));
        assertEquals(4, throughput.size(), "both contracts and both measured directions differ: " + throughput);
        assertTrue(page.contains("stroke=\"" + Plot.p50Color(0) + "\"") && page.contains("stroke=\"" + Plot.p90Color(0) + "\""),
                "RTT p50 and p90 drawn in their colours");
        assertTrue(page.contains("stroke=\"" + Plot.contractColor(0) + "\""), "the contract line in its own colour");
        assertFalse(page.contains("Grafana site dashboard"), "no link without grafana_url");
    }

    @Test
    void sitePageLinksTheGrafanaSiteDashboardWhenGrafanaUrlIsSet(@TempDir Path other) throws Exception {
        try (TestCollector g = TestCollector.start(other, Fleet.TOKENS, io.linkprobe.collector.MutableClock.now(),
                config -> config.withGrafanaUrl("https://grafana.example.org/"))) {
            new Fleet(g).pushFleet();
            String page = g.get("/sites/leeds-gp").body();
            assertTrue(page.contains("<a href=\"https://grafana.example.org/d/linkprobe-site/linkprobe-site?var-site=leeds-gp\">"
                    + "Grafana site dashboard</a>"), page);
        }
    }
}
