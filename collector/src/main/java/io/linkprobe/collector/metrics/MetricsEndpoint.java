package io.linkprobe.collector.metrics;

import io.linkprobe.collector.http.Endpoint;
import io.linkprobe.collector.http.Reply;
import io.linkprobe.collector.http.Request;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * {@code GET /metrics}: the registry in the format the scraper's {@code Accept} asks for —
 * Prometheus protobuf, OpenMetrics text, or the classic text format (the default). The format is
 * chosen once here and the registry is asked for exactly that content type, so the
 * {@code Content-Type} answered is the one written.
 *
 * <p>A scrape of 10,000 sites is tens of MB and takes a good fraction of a second, so it runs on
 * its own executor, not on the event loop that also carries pushes.
 */
public final class MetricsEndpoint implements Endpoint {
    private final PrometheusMeterRegistry registry;
    private final Executor scrapeExecutor;
    private final ExpositionFormats formats = ExpositionFormats.init();

    public MetricsEndpoint(PrometheusMeterRegistry registry, Executor scrapeExecutor) {
        this.registry = registry;
        this.scrapeExecutor = scrapeExecutor;
    }

    @Override
    public CompletionStage<Reply> handle(Request request) {
        String accept = request.headers().get(HttpHeaderNames.ACCEPT);
        ExpositionFormatWriter writer = formats.findWriter(accept == null ? "" : accept);
        String contentType = writer.getContentType();
        return CompletableFuture.supplyAsync(() -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
            try {
                registry.scrape(out, contentType);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Reply.of(HttpResponseStatus.OK, contentType, out.toByteArray());
        }, scrapeExecutor);
    }
}
