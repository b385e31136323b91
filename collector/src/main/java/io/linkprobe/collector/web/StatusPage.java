package io.linkprobe.collector.web;

import io.linkprobe.collector.http.Endpoint;
import io.linkprobe.collector.http.Reply;
import io.linkprobe.collector.http.Request;
import io.linkprobe.collector.sites.SiteDirectory;
import io.linkprobe.collector.sites.SiteView;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /}: a minimal server-rendered page — how many sites are ok, degraded, down, and links
 * to /metrics and the JSON API. Every value that came from an agent passes through {@link Html#escape}.
 */
public final class StatusPage implements Endpoint {
    private final SiteDirectory directory;
    private final Clock clock;

    public StatusPage(SiteDirectory directory, Clock clock) {
        this.directory = directory;
        this.clock = clock;
    }

    @Override
    public CompletionStage<Reply> handle(Request request) {
        List<SiteView> sites = directory.views(clock.millis());
        long ok = sites.stream().filter(s -> s.health().equals("ok")).count();
        long degraded = sites.stream().filter(s -> s.health().equals("degraded")).count();
        long down = sites.size() - ok - degraded;
        StringBuilder page = new StringBuilder(2048)
                .append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>linkprobe collector</title></head><body>\n")
                .append("<h1>linkprobe collector</h1>\n")
                .append("<p>").append(sites.size()).append(" sites: ").append(ok).append(" ok, ")
                .append(degraded).append(" degraded, ").append(down).append(" down.</p>\n<ul>\n")
                .append("<li><a href=\"/metrics\">/metrics</a> (Prometheus)</li>\n")
                .append("<li><a href=\"/api/v1/sites\">/api/v1/sites</a> (JSON)</li>\n</ul>\n<table>\n")
                .append("<tr><th>site</th><th>health</th><th>last seen</th></tr>\n");
        for (SiteView s : sites) {
            page.append("<tr><td><a href=\"/api/v1/sites/").append(Html.escape(s.site())).append("\">")
                    .append(Html.escape(s.site())).append("</a></td><td>").append(Html.escape(s.health()))
                    .append(s.healthReason() == null ? "" : " (" + Html.escape(s.healthReason()) + ")")
                    .append("</td><td>").append(Html.escape(s.lastSeen())).append("</td></tr>\n");
        }
        page.append("</table>\n</body></html>\n");
        return CompletableFuture.completedFuture(Reply.html(page.toString()));
    }
}
