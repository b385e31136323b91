package io.linkprobe.collector.reload;

import io.linkprobe.collector.config.CollectorConfig;
import io.linkprobe.collector.http.Endpoint;
import io.linkprobe.collector.http.Reply;
import io.linkprobe.collector.http.Request;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * {@code POST /-/reload}: re-reads the tokens and fleet files, as SIGHUP does, and answers how it
 * went, like a Prometheus exporter's.
 *
 * <pre>
 * 200 reloaded: 7012 tokens, 7012 sites planned on 3 responders, test demand 0.62 of the pool
 * 500 reload failed: fleet.yml:14:7: unknown key 'evry' (...). The configuration in force stays (...)
 * 403 POST /-/reload is accepted from the collector's own host only (http.reload_endpoint: loopback); ...
 * </pre>
 */
public final class ReloadEndpoint implements Endpoint {
    public static final String PATH = "/-/reload";

    private final LiveConfig live;
    private final CollectorConfig.ReloadEndpoint allowed;
    private final Executor worker;

    /** @param worker where the files are read and the plans rebuilt: not the connection's event loop */
    public ReloadEndpoint(LiveConfig live, CollectorConfig.ReloadEndpoint allowed, Executor worker) {
        this.live = live;
        this.allowed = allowed;
        this.worker = worker;
    }

    @Override
    public CompletionStage<Reply> handle(Request request) {
        switch (allowed) {
            case OFF -> {
                return CompletableFuture.completedFuture(Reply.text(HttpResponseStatus.FORBIDDEN,
                        "POST /-/reload is off (http.reload_endpoint: off); send the collector SIGHUP "
                                + "(systemctl reload linkprobe-collector) instead"));
            }
            case LOOPBACK -> {
                if (!request.fromLoopback()) {
                    return CompletableFuture.completedFuture(Reply.text(HttpResponseStatus.FORBIDDEN,
                            "POST /-/reload is accepted from the collector's own host only (http.reload_endpoint: "
                                    + "loopback); run it there, or set http.reload_endpoint: any"));
                }
            }
            case ANY -> {
                // Anyone who reaches the port may ask; a reload only re-reads files the collector already trusts.
            }
        }
        return CompletableFuture.supplyAsync(() -> {
            LiveConfig.Outcome outcome = live.reload("POST /-/reload");
            return outcome.ok()
                    ? Reply.text(HttpResponseStatus.OK, "reloaded: " + outcome.summary())
                    : Reply.text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "reload failed: " + outcome.problem());
        }, worker);
    }
}
