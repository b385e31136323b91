package io.linkprobe.collector.web;

import io.linkprobe.collector.archive.Archive;
import io.linkprobe.collector.archive.ArchiveException;
import io.linkprobe.collector.http.Endpoint;
import io.linkprobe.collector.http.Reply;
import io.linkprobe.collector.http.Request;
import io.linkprobe.collector.sites.DaySeries;
import io.linkprobe.collector.sites.SiteRegistry;
import io.linkprobe.collector.sites.SiteView;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /}: the table of sites, filtered and sorted by the query string ({@link SiteQuery}),
 * worst first by default, {@value #PAGE_SIZE} to a page so that 10,000 sites stay one quick page;
 * sparklines only for the rows shown. Built on a worker thread, not on the event loop that acks
 * pushes.
 *
 * <p>The sparklines come from the in-memory 24 h series, which a restart empties. The rows shown
 * refill theirs from the archive, worst first, for at most {@link #REFILL_BUDGET} per render, so
 * a page after a restart is never slow and fills in over a few refreshes.
 */
public final class StatusPage implements Endpoint {
    static final int PAGE_SIZE = 200;
    /** Choices offered in the region and link filters; label values are free text, so cap them. */
    static final int MAX_FILTER_CHOICES = 500;
    /** Agents push every 60 s: a wall screen showing the page reloads it as often. */
    static final int REFRESH_SECONDS = 60;
    static final Duration REFILL_BUDGET = Duration.ofMillis(250);

    private static final Logger log = LoggerFactory.getLogger(StatusPage.class);

    private final SiteRegistry sites;
    private final ArchivedResults archived;
    private final Clock clock;
    private final Executor readers;
    private final Supplier<PoolNote> pool;

    public StatusPage(SiteRegistry sites, Archive archive, Clock clock, Executor readers) {
        this(sites, archive, clock, readers, () -> PoolNote.NONE);
    }

    /** @param pool the responder pool's load, for the line under the summary */
    public StatusPage(SiteRegistry sites, Archive archive, Clock clock, Executor readers, Supplier<PoolNote> pool) {
        this.sites = sites;
        this.archived = new ArchivedResults(archive);
        this.clock = clock;
        this.readers = readers;
        this.pool = pool;
    }

    @Override
    public CompletionStage<Reply> handle(Request request) {
        SiteQuery query = SiteQuery.of(request);
        return CompletableFuture.supplyAsync(() -> Page.reply(HttpResponseStatus.OK, render(query)), readers);
    }

    /** The whole page for {@code query}; public to the package for the render-time measurement. */
    String render(SiteQuery query) {
        long now = clock.millis();
        List<SiteView> views = sites.views(now);
        Map<String, Integer> healthCounts = new HashMap<>();
        TreeSet<String> regions = new TreeSet<>();
        TreeSet<String> links = new TreeSet<>();
        List<SiteRow> matching = new ArrayList<>();
        for (SiteView view : views) {
            SiteRow row = SiteRow.of(view);
            healthCounts.merge(view.health(), 1, Integer::sum);
            addChoice(regions, row.region());
            addChoice(links, row.link());
            if (query.matches(row)) {
                matching.add(row);
            }
        }
        matching.sort(query.sort().order(query.descending()));
        int pages = Math.max(1, (matching.size() + PAGE_SIZE - 1) / PAGE_SIZE);
        SiteQuery shown = query.page() > pages ? query.onPage(pages) : query;
        int from = (shown.page() - 1) * PAGE_SIZE;
        List<SiteRow> rows = matching.subList(from, Math.min(matching.size(), from + PAGE_SIZE));
        refillDays(rows, now);
        Map<String, DaySeries.Points> days = new HashMap<>();
        for (SiteRow row : rows) {
            sites.day(row.site(), now).ifPresent(points -> days.put(row.site(), points));
        }
        SiteTable table = new SiteTable(shown, now);
        StringBuilder page = Page.start("linkprobe: sites", 16_384 + rows.size() * 2_600, REFRESH_SECONDS);
        table.summary(page, views.size(), healthCounts, matching.size(), from, rows.size(), pages);
        pool.get().render(page);
        table.filters(page, regions, links);
        table.rows(page, rows, days);
        table.pager(page, matching.size(), from, rows.size(), pages);
        return Page.end(page);
    }

    private void refillDays(List<SiteRow> rows, long now) {
        long deadline = System.nanoTime() + REFILL_BUDGET.toNanos();
        for (SiteRow row : rows) {
            if (System.nanoTime() > deadline) {
                return;
            }
            try {
                archived.refillDay(sites, row.site(), now, null);
            } catch (ArchiveException e) {
                log.warn("refilling the 24 h series of {} from the archive: {}", row.site(), e.getMessage());
                return;
            }
        }
    }

    private static void addChoice(TreeSet<String> choices, String value) {
        if (value != null && choices.size() < MAX_FILTER_CHOICES) {
            choices.add(value);
        }
    }
}
