package io.linkprobe.collector.web;

import io.linkprobe.collector.http.Endpoint;
import io.linkprobe.collector.http.Reply;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * {@code /-/healthy} (the process answers) and {@code /-/ready} (started, archive open, not
 * stopping), in the style of Prometheus' own endpoints, for systemd, Docker and load balancers.
 */
public final class Probes {
    private Probes() {}

    public static Endpoint healthy() {
        return request -> CompletableFuture.completedFuture(Reply.text(HttpResponseStatus.OK, "linkprobe collector is healthy"));
    }

    public static Endpoint ready(BooleanSupplier ready) {
        return request -> CompletableFuture.completedFuture(ready.getAsBoolean()
                ? Reply.text(HttpResponseStatus.OK, "linkprobe collector is ready")
                : Reply.text(HttpResponseStatus.SERVICE_UNAVAILABLE, "linkprobe collector is not ready")
                        .withHeader("Retry-After", "5"));
    }
}
