package io.linkprobe.collector.web;

import io.linkprobe.collector.archive.Archive;
import io.linkprobe.collector.archive.ArchiveException;
import io.linkprobe.collector.http.Endpoint;
import io.linkprobe.collector.http.Reply;
import io.linkprobe.collector.http.Request;
import io.linkprobe.collector.sites.SiteRegistry;
import io.linkprobe.collector.sites.SiteView;
import io.linkprobe.common.wire.ConnectResult;
import io.linkprobe.common.wire.LatencyWindow;
import io.linkprobe.common.wire.ThroughputResult;
import io.linkprobe.common.wire.VideoResult;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /sites/{site}?range=24h|7d|30d}: one site's latest figures; plots of RTT, loss and
 * connect time over the range and of throughput against the contract over the range or at least 7
 * days, each read from the archive tier that covers it ({@link SiteHistory}); the recent results
 * as tables. Reads the archive on a worker; an unknown site is a 404 page, an unknown range a 400.
 */
public final class SitePage implements Endpoint {
    public static final String PREFIX = "/sites/";
    static final Duration THROUGHPUT_SPAN = Duration.ofDays(7);
    static final int MAX_TESTS = 500;
    static final int MAX_CONNECTS = 2_880;

    private static final Logger log = LoggerFactory.getLogger(SitePage.class);

    private final SiteRegistry sites;
    private final ArchivedResults archived;
    private final Clock clock;
    private final Executor readers;
    private final String grafanaUrl;

    public SitePage(SiteRegistry sites, Archive archive, Clock clock, Executor readers) {
        this(sites, archive, clock, readers, null);
    }

    /** @param grafanaUrl the Grafana that has the site dashboard ({@code grafana_url}); null for no link */
    public SitePage(SiteRegistry sites, Archive archive, Clock clock, Executor readers, String grafanaUrl) {
        this.grafanaUrl = grafanaUrl;
        this.sites = sites;
        this.archived = new ArchivedResults(archive);
        this.clock = clock;
        this.readers = readers;
    }

    /** What the page shows, newest first in each list. */
    record Data(SiteView view, long nowMillis, List<LatencyWindow> windows, boolean windowsTruncated,
            List<ThroughputResult> tests, List<ConnectResult> connects, List<VideoResult> videos, String grafanaUrl,
            SiteHistory history) {}

    @Override
    public CompletionStage<Reply> handle(Request request) {
        String site = request.path().substring(PREFIX.length());
        long now = clock.millis();
        Optional<SiteView> view = sites.view(site, now);
        if (view.isEmpty()) {
            return CompletableFuture.completedFuture(Page.notFound("No site '" + site + "' is known to this collector."));
        }
        PlotRange range;
        try {
            range = PlotRange.parse(request.param("range"));
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(Page.badRequest(e.getMessage()));
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                Data data = load(view.get(), now, range);
                return Page.reply(HttpResponseStatus.OK, new SiteDetail(data).render());
            } catch (ArchiveException e) {
                log.warn("site page of {}: {}", site, e.getMessage());
                return Reply.text(HttpResponseStatus.SERVICE_UNAVAILABLE, "the archive could not be read; retry shortly")
                        .withHeader("Retry-After", "5");
            }
        }, readers);
    }

    private Data load(SiteView view, long now, PlotRange range) throws ArchiveException {
        String site = view.site();
        List<LatencyWindow> windows = archived.windows(site, now, ArchivedResults.MAX_WINDOWS + 1);
        boolean truncated = windows.size() > ArchivedResults.MAX_WINDOWS;
        if (truncated) {
            windows = windows.subList(0, ArchivedResults.MAX_WINDOWS);
        }
        archived.refillDay(sites, site, now, windows);
        List<ThroughputResult> tests = archived.tests(site, now, THROUGHPUT_SPAN, MAX_TESTS);
        List<ConnectResult> connects = archived.connects(site, now, MAX_CONNECTS);
        return new Data(view, now, windows, truncated, tests, connects,
                archived.videos(site, now, THROUGHPUT_SPAN, MAX_TESTS), grafanaUrl,
                SiteHistory.load(archived, site, range, now, windows, connects, tests));
    }
}
