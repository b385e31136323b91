package io.linkprobe.collector.web;

import io.linkprobe.collector.http.Endpoint;
import io.linkprobe.collector.http.Reply;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * {@code /-/healthy} (the process answers) and {@code /-/ready} (started, not stopping, and the
 * archive can write), in the style of Prometheus' own endpoints, for systemd, Docker and load
 * balancers. Not ready is 503 with the reason as one line, e.g.
 * {@code linkprobe collector is not ready: the archive cannot write since 2026-11-26T10:15:02Z: ...}.
 */
public final class Probes {
    private Probes() {}

    public static Endpoint healthy() {
        return request -> CompletableFuture.completedFuture(Reply.text(HttpResponseStatus.OK, "linkprobe collector is healthy"));
    }

    /** @param notReady empty when ready, else why not (one line) */
    public static Endpoint ready(Supplier<Optional<String>> notReady) {
        return request -> CompletableFuture.completedFuture(notReady.get()
                .map(why -> Reply.text(HttpResponseStatus.SERVICE_UNAVAILABLE, "linkprobe collector is not ready: " + why)
                        .withHeader("Retry-After", "5"))
                .orElseGet(() -> Reply.text(HttpResponseStatus.OK, "linkprobe collector is ready")));
    }
}
