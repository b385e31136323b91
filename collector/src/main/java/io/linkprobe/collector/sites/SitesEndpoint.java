package io.linkprobe.collector.sites;

import io.linkprobe.collector.http.Endpoint;
import io.linkprobe.collector.http.Reply;
import io.linkprobe.collector.http.Request;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * {@code GET /api/v1/sites}: every known site with last seen, health and latest figures. Built on
 * the readers' pool, as the status page is: 10,000 site views do not belong on a loop that acks pushes.
 */
public final class SitesEndpoint implements Endpoint {
    private final SiteRegistry sites;
    private final Clock clock;
    private final Executor readers;

    public SitesEndpoint(SiteRegistry sites, Clock clock, Executor readers) {
        this.sites = sites;
        this.clock = clock;
        this.readers = readers;
    }

    /** The JSON body: {@code {"generated": "...", "sites": [...]}}. */
    public record Sites(String generated, List<SiteView> sites) {}

    @Override
    public CompletionStage<Reply> handle(Request request) {
        long now = clock.millis();
        return CompletableFuture.supplyAsync(
                () -> Reply.json(HttpResponseStatus.OK, new Sites(SiteRegistry.iso(now), sites.views(now))), readers);
    }
}
