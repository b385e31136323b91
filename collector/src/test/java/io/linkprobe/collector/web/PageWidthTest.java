package io.linkprobe.collector.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.linkprobe.collector.Executables;
import io.linkprobe.collector.MutableClock;
import io.linkprobe.collector.TestCollector;
import io.linkprobe.collector.archive.Archive;
import io.linkprobe.collector.archive.ArchiveBatch;
import io.linkprobe.collector.archive.StoreResult;
import io.linkprobe.common.testing.Samples;
import io.linkprobe.common.wire.AgentIdentity;
import io.linkprobe.common.wire.PushBatch;
import io.linkprobe.common.wire.Sample;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pages fit a 1280-pixel-wide screen without cutting a column: a real Chromium, its viewport
 * 1280 × 900 as a desktop window, loads the status page, a site page (24 h and 30 d) and
 * /upgrades of a real collector whose fleet has every name at its longest (sites, targets, label
 * values at 64 characters), 120 sites, six targets on one site, 70 days of history and 8 upgraded
 * sites. The document must not scroll sideways (its scroll width within its client width), and no
 * table or other element may reach past 1263 px, the room left beside a classic 17-px vertical
 * scrollbar (headless Chromium draws none). The pages measured are kept in
 * {@code collector/target/page-width/}. Tagged lab (a browser and 70 days of seeding; bounded at
 * 90 s); skipped without {@code chromium} on PATH.
 */
@Tag("lab")
class PageWidthTest {
    static final int SCREEN_WIDTH = 1280;
    /** A classic (non-overlay) vertical scrollbar's width: the page must fit beside one. */
    static final int SCROLLBAR = 17;
    /** Where the measured pages are kept for a look in a browser after a run. */
    static final Path KEPT = Path.of("target", "page-width");
    private static final long DAY = 86_400_000L;
    private static final long HOUR = 3_600_000L;
    private static final int SITES = 120;
    private static final int UPGRADED = 8;
    private static final int HISTORY_DAYS = 70;
    /** What the browser measures: the viewport, the document's widths, each table's right edge, and what sticks out. */
    private static final String MEASURE = """
            (() => {
              const width = document.documentElement.clientWidth - %d;
              const outside = [];
              for (const e of document.querySelectorAll('body *')) {
                const right = e.getBoundingClientRect().right;
                if (right > width + 0.5 && outside.length < 12) {
                  outside.push(e.tagName.toLowerCase() + (typeof e.className === 'string' && e.className ? '.' + e.className : '')
                      + ' "' + (e.textContent || '').trim().slice(0, 40) + '" right=' + Math.round(right));
                }
              }
              return {innerWidth: window.innerWidth, clientWidth: document.documentElement.clientWidth, room: width, scrollWidth: document.documentElement.scrollWidth,
                tables: [...document.querySelectorAll('table')].map(t => Math.round(t.getBoundingClientRect().right)),
                columns: [...document.querySelectorAll('table')].filter(t => t.getBoundingClientRect().right > width)
                  .map(t => [...t.rows[0].cells].map(c => c.textContent.trim().slice(0, 16) + ': ' + Math.round(c.getBoundingClientRect().width)).join(', ')),
                rows: document.querySelectorAll('tr').length, plots: document.querySelectorAll('svg.plot').length,
                outside: outside};
            })()""".formatted(SCROLLBAR);

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void statusSiteAndUpgradesPagesFitA1280PixelScreen() throws Exception {
        Path chromium = Executables.onPath("chromium").orElse(null);
        Assumptions.assumeTrue(chromium != null, "skipped: no 'chromium' on PATH (apt-get install chromium)");
        long t0 = System.nanoTime();
        long now = System.currentTimeMillis() / HOUR * HOUR + 30 * 60_000L;
        Map<String, String> tokens = new LinkedHashMap<>();
        for (int i = 0; i < SITES; i++) {
            tokens.put(site(i), "token-" + i);
        }
        try (TestCollector c = TestCollector.start(dir, tokens, new MutableClock(now), config -> config)) {
            seedHistory(c.collector.archive(), now);
            long historyMs = (System.nanoTime() - t0) / 1_000_000;
            for (int i = 0; i < SITES; i++) {
                pushNow(c, i, now);
            }
            long pushedMs = (System.nanoTime() - t0) / 1_000_000;
            for (int i = 0; i < UPGRADED; i++) {
                HttpResponse<String> posted = c.send(HttpRequest.newBuilder(c.uri("/api/v1/sites/" + site(i) + "/upgrade"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"at\": \"" + java.time.Instant.ofEpochMilli(now - 35 * DAY)
                                + "\", \"link\": \"" + longName("fttp-", i) + "\", \"down_mbps\": 80, \"up_mbps\": 20}"))
                        .build());
                assertEquals(201, posted.statusCode(), posted.body());
            }
            long seededMs = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("PageWidth: %d days of history of %d sites stored and rolled up at %d ms, %d sites pushed at %d ms,"
                    + " %d upgrades at %d ms%n", HISTORY_DAYS, UPGRADED, historyMs, SITES, pushedMs, UPGRADED, seededMs);

            Map<String, Integer> minimumRows = new LinkedHashMap<>();
            minimumRows.put("/?sort=site", SITES + 1);
            minimumRows.put("/sites/" + site(0), 2 * SiteDetail.RECENT_ROWS);
            minimumRows.put("/sites/" + site(0) + "?range=30d", 2 * SiteDetail.RECENT_ROWS);
            minimumRows.put("/upgrades", UPGRADED + 2);
            List<String> problems = new ArrayList<>();
            java.nio.file.Files.createDirectories(KEPT);
            try (HeadlessChromium browser = HeadlessChromium.start(chromium, dir)) {
                browser.viewport(SCREEN_WIDTH, 900);
                for (Map.Entry<String, Integer> page : minimumRows.entrySet()) {
                    long t1 = System.nanoTime();
                    browser.load(c.uri(page.getKey()).toString());
                    JsonNode m = browser.evaluate(MEASURE);
                    long loadMs = (System.nanoTime() - t1) / 1_000_000;
                    System.out.printf("PageWidth %-26s viewport %d px, room beside a scrollbar %d px, document scroll width %d of %d px,"
                            + " widest table ends at %d px; %d rows, %d plots, loaded and measured in %d ms%s%n",
                            page.getKey().replace(site(0), "<site-0>"), m.get("innerWidth").asInt(), m.get("room").asInt(),
                            m.get("scrollWidth").asInt(), m.get("clientWidth").asInt(), max(m.get("tables")), m.get("rows").asInt(), m.get("plots").asInt(),
                            loadMs, m.get("columns").isEmpty() ? "" : "; too wide: " + m.get("columns"));
                    assertEquals(SCREEN_WIDTH, m.get("innerWidth").asInt(), "the viewport is the screen's width");
                    assertTrue(m.get("rows").asInt() >= page.getValue(), page.getKey() + " shows its rows: " + m);
                    java.nio.file.Files.writeString(KEPT.resolve(page.getKey().replace(site(0), "site-0")
                            .replaceAll("[^a-z0-9=-]+", "_") + ".html"), c.get(page.getKey()).body());
                    int room = SCREEN_WIDTH - SCROLLBAR;
                    if (m.get("scrollWidth").asInt() > m.get("clientWidth").asInt() || max(m.get("tables")) > room || m.get("outside").size() > 0) {
                        problems.add(page.getKey() + " is wider than the screen: " + m);
                    }
                }
            }
            System.out.printf("PageWidth: %d pages measured, %d s in all%n", minimumRows.size(),
                    (System.nanoTime() - t0) / 1_000_000_000);
            assertTrue(problems.isEmpty(), String.join("\n", problems));
        }
    }

    /** Site names at the 64-character limit, each distinct in its first characters as real ones are. */
    static String site(int i) {
        return longName(String.format("site-%03d-", i), i);
    }

    private static String longName(String prefix, int i) {
        String name = prefix + "northern-lincolnshire-and-goole-hospitals-community-diagnostic-" + i;
        return name.substring(0, 64);
    }

    private static String target(int t) {
        return longName("hub-" + t + "-", t);
    }

    private static AgentIdentity agent(int i) {
        return new AgentIdentity(site(i), "agent-" + i, "boot-1", "0.1.0-SNAPSHOT",
                Map.of("region", longName("region-" + i % 7 + "-", i % 7), "link", longName("link-" + i % 3 + "-", i % 3)),
                new AgentIdentity.Contract(10_000_000, 2_500_000));
    }

    /**
     * 70 days of a window every 4 hours and a test each way a day for the upgraded sites, the last 24 h
     * of 5-minute windows towards six targets and connect probes for site 0: one push per site
     * through the archive's own write path, then rolled up.
     */
    private static void seedHistory(Archive archive, long now) throws Exception {
        List<CompletableFuture<StoreResult>> pending = new ArrayList<>();
        for (int i = 0; i < UPGRADED; i++) {
            List<Sample> samples = new ArrayList<>();
            for (long day = now - HISTORY_DAYS * DAY; day < now; day += DAY) {
                boolean after = day >= now - 32 * DAY;
                for (long t = day + 4 * HOUR; t <= Math.min(day + DAY, now - 5 * 60_000L); t += 4 * HOUR) {
                    int rtt = after ? 12_000 : 30_000;
                    samples.add(Samples.window(target(0), t, new int[] {rtt, rtt + 800, rtt + 2_500}, after ? 0 : 1, 0));
                }
                samples.add(Samples.throughput(target(0), day + 9 * HOUR, "down", after ? 9_800_000 : 250_000));
                samples.add(Samples.throughput(target(0), day + 9 * HOUR + 20_000, "up", after ? 2_450_000 : 60_000));
            }
            if (i == 0) {
                for (long t = now - DAY + 5 * 60_000L; t <= now - 5 * 60_000L; t += 5 * 60_000L) {
                    for (int k = 1; k < SiteDetail.PLOTTED_TARGETS; k++) {
                        samples.add(Samples.window(target(k), t, new int[] {9_000 + k * 1_000, 9_500 + k * 1_000}, k == 5 ? 2 : 0, 0));
                        samples.add(Samples.connect(target(k), t, 12_000 + k * 500));
                    }
                }
            }
            pending.add(archive.store(ArchiveBatch.of(site(i), "history-" + i, 1, now, "{}", samples)));
        }
        for (CompletableFuture<StoreResult> f : pending) {
            assertEquals(StoreResult.Outcome.STORED, f.get(60, TimeUnit.SECONDS).outcome());
        }
        archive.rollUp();
    }

    /** The current push of site {@code i}: a window (site 5 with no reply, every seventh lossy), tests each way. */
    private static void pushNow(TestCollector c, int i, long now) throws Exception {
        Sample window = i == 5 ? Samples.window(target(0), now - 1_000, new int[0], 3, 2)
                : Samples.window(target(0), now - 1_000, new int[] {20_000, 21_000, 26_000}, i % 7 == 0 ? 2 : 0, 0);
        HttpResponse<String> r = c.push("token-" + i, new PushBatch(agent(i), 1, List.of(window,
                Samples.throughput(target(0), now - 3_000, "down", 9_760_000 - i * 40_000),
                Samples.throughput(target(0), now - 2_000, "up", 2_400_000))));
        assertEquals(200, r.statusCode(), r.body());
    }

    private static int max(JsonNode values) {
        int max = 0;
        for (JsonNode v : values) {
            max = Math.max(max, v.asInt());
        }
        return max;
    }
}
