package io.linkprobe.collector.plan;

import io.linkprobe.collector.auth.BearerAuth;
import io.linkprobe.collector.http.Endpoint;
import io.linkprobe.collector.http.RefusedException;
import io.linkprobe.collector.http.RejectionCounter;
import io.linkprobe.collector.http.Reply;
import io.linkprobe.collector.http.Request;
import io.linkprobe.collector.reload.LiveConfig;
import io.linkprobe.common.wire.Plan;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /api/v1/plan}: the plan of the site whose bearer token the request carries, and only
 * that site's.
 *
 * <pre>
 * 200 {"site": "gp-leeds-0042", "version": "3f1c9a0b7d2e4c55", ...}   ETag: "3f1c9a0b7d2e4c55"
 * 304 (If-None-Match: "3f1c9a0b7d2e4c55" and the plan has not changed)
 * 401 unknown token; ...
 * 404 no plan for site 's1': this collector has no fleet_file and its embedded responder is off; ...
 * 503 plans are being built; retry shortly                             Retry-After: 5
 * </pre>
 */
public final class PlanEndpoint implements Endpoint {
    public static final String PATH = "/api/v1/plan";

    private final BearerAuth auth;
    private final LiveConfig live;
    private final RejectionCounter rejections;

    public PlanEndpoint(LiveConfig live, RejectionCounter rejections) {
        this.auth = new BearerAuth(live);
        this.live = live;
        this.rejections = rejections;
    }

    @Override
    public CompletionStage<Reply> handle(Request request) {
        return CompletableFuture.completedFuture(answer(request));
    }

    private Reply answer(Request request) {
        String site;
        try {
            site = auth.site(request);
        } catch (RefusedException e) {
            rejections.count(e.reason());
            return BearerAuth.refused(e);
        }
        if (!live.planned()) {
            return Reply.text(HttpResponseStatus.SERVICE_UNAVAILABLE, "plans are being built; retry shortly")
                    .withHeader("Retry-After", "5");
        }
        String host = request.host();
        if (host == null) {
            return Reply.text(HttpResponseStatus.BAD_REQUEST,
                    "the request has no Host header; send the host name you reached the collector at");
        }
        Optional<Plan> plan = live.plans().plan(site, host);
        if (plan.isEmpty()) {
            // A token put in force a moment ago, its plan not built yet (a reload swaps tokens, then plans).
            return Reply.text(HttpResponseStatus.SERVICE_UNAVAILABLE, "the plan of site '" + site
                    + "' is being built; retry shortly").withHeader("Retry-After", "5");
        }
        if (plan.get().targets().isEmpty() && !plan.get().throughput().enabled()) {
            return Reply.text(HttpResponseStatus.NOT_FOUND, "no plan for site '" + site + "': " + (live.hasFleetFile()
                    ? "the fleet file gives it no targets and the responder pool is empty"
                    : "this collector has no fleet_file and its embedded responder is off")
                    + "; the agent measures the targets of its own agent.yml");
        }
        String etag = "\"" + plan.get().version() + "\"";
        if (matches(request.headers().get(HttpHeaderNames.IF_NONE_MATCH), etag)) {
            return Reply.of(HttpResponseStatus.NOT_MODIFIED, Reply.JSON, new byte[0]).withHeader("ETag", etag);
        }
        return Reply.of(HttpResponseStatus.OK, Reply.JSON, PlanVersion.bytes(plan.get()))
                .withHeader("ETag", etag)
                .withHeader("Cache-Control", "no-cache");
    }

    /** RFC 9110 If-None-Match: a list of entity tags, or *; weak tags compare by their opaque part. */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String c = candidate.trim();
            if (c.equals("*") || c.equals(etag) || (c.startsWith("W/") && c.substring(2).equals(etag))) {
                return true;
            }
        }
        return false;
    }
}
