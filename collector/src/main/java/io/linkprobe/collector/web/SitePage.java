package io.linkprobe.collector.web;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import io.linkprobe.collector.archive.Archive;
import io.linkprobe.collector.archive.ArchiveException;
import io.linkprobe.collector.archive.StoredSample;
import io.linkprobe.collector.http.Endpoint;
import io.linkprobe.collector.http.Reply;
import io.linkprobe.collector.http.Request;
import io.linkprobe.collector.sites.SiteDirectory;
import io.linkprobe.collector.sites.SiteView;
import io.linkprobe.common.wire.ConnectResult;
import io.linkprobe.common.wire.Json;
import io.linkprobe.common.wire.LatencyWindow;
import io.linkprobe.common.wire.Sample;
import io.linkprobe.common.wire.ThroughputResult;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /sites/{site}}: one site's latest figures, 24 h plots of RTT and loss, 7 days of
 * throughput against the contract, and the recent results as tables. Reads the archive on a
 * worker; an unknown site is a 404 page.
 */
public final class SitePage implements Endpoint {
    public static final String PREFIX = "/sites/";
    static final Duration LATENCY_SPAN = Duration.ofHours(24);
    static final Duration THROUGHPUT_SPAN = Duration.ofDays(7);
    /** 24 h of 60 s windows towards 7 targets; a site probing more shows its newest windows only. */
    static final int MAX_WINDOWS = 10_080;
    static final int MAX_TESTS = 500;
    static final int MAX_CONNECTS = 2_880;
    /** Agents may run a little ahead of the collector's clock; their newest results still count. */
    private static final long FUTURE_MILLIS = 10 * 60_000L;

    private static final Logger log = LoggerFactory.getLogger(SitePage.class);
    /** The raw RTTs are for exact histograms; the page uses the window summaries and skips them. */
    private static final ObjectReader SAMPLE = Json.mapper().copy()
            .addMixIn(LatencyWindow.class, WithoutRawRtts.class)
            .readerFor(Sample.class)
            .without(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);

    @JsonIgnoreProperties({"rtt_micros"})
    private abstract static class WithoutRawRtts {}

    private final SiteDirectory directory;
    private final Archive archive;
    private final Clock clock;
    private final Executor readers;

    public SitePage(SiteDirectory directory, Archive archive, Clock clock, Executor readers) {
        this.directory = directory;
        this.archive = archive;
        this.clock = clock;
        this.readers = readers;
    }

    /** What the page shows, newest first in each list. */
    record Data(SiteView view, long nowMillis, List<LatencyWindow> windows, boolean windowsTruncated,
            List<ThroughputResult> tests, List<ConnectResult> connects) {}

    @Override
    public CompletionStage<Reply> handle(Request request) {
        String site = request.path().substring(PREFIX.length());
        long now = clock.millis();
        Optional<SiteView> view = directory.view(site, now);
        if (view.isEmpty()) {
            return CompletableFuture.completedFuture(Page.notFound("No site '" + site + "' is known to this collector."));
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                Data data = load(view.get(), now);
                return Page.reply(HttpResponseStatus.OK, new SiteDetail(data).render());
            } catch (ArchiveException e) {
                log.warn("site page of {}: {}", site, e.getMessage());
                return Reply.text(HttpResponseStatus.SERVICE_UNAVAILABLE, "the archive could not be read; retry shortly")
                        .withHeader("Retry-After", "5");
            }
        }, readers);
    }

    private Data load(SiteView view, long now) throws ArchiveException {
        String site = view.site();
        long to = now + FUTURE_MILLIS;
        List<LatencyWindow> windows = read(archive.recent(site, "latency", now - LATENCY_SPAN.toMillis(), to,
                MAX_WINDOWS + 1), LatencyWindow.class);
        boolean truncated = windows.size() > MAX_WINDOWS;
        if (truncated) {
            windows = windows.subList(0, MAX_WINDOWS);
        } else if (!directory.dayFromArchive(site)) {
            directory.rebuildDay(site, windows, now);
        }
        List<ThroughputResult> tests = read(archive.recent(site, "throughput", now - THROUGHPUT_SPAN.toMillis(), to,
                MAX_TESTS), ThroughputResult.class);
        List<ConnectResult> connects = read(archive.recent(site, "connect", now - LATENCY_SPAN.toMillis(), to,
                MAX_CONNECTS), ConnectResult.class);
        return new Data(view, now, windows, truncated, tests, connects);
    }

    private static <T extends Sample> List<T> read(List<StoredSample> rows, Class<T> type) {
        List<T> samples = new ArrayList<>(rows.size());
        for (StoredSample row : rows) {
            try {
                Sample s = SAMPLE.readValue(row.json());
                if (type.isInstance(s)) {
                    samples.add(type.cast(s));
                }
            } catch (IOException e) {
                // Written by this collector from a validated sample; a row that does not read back is skipped.
                log.debug("unreadable archive row of type {}: {}", row.type(), e.toString());
            }
        }
        return samples;
    }
}
