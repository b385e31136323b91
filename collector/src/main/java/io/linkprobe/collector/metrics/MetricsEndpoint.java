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
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * {@code GET /metrics}: the registry in the format the scraper's {@code Accept} asks for —
 * Prometheus protobuf, OpenMetrics text, or the classic text format (the default). The format is
 * chosen once here and the registry is asked for exactly that content type, so the
 * {@code Content-Type} answered is the one written.
 *
 * <p>A scrape of 10,000 sites is ~1 M samples, ~75 MB of text, and takes a good fraction of a
 * second, so it runs on its own executor, not on the event loop that also carries pushes. When the
 * scraper accepts gzip (Prometheus does) the text is compressed there too, as it is written, at the
 * fastest level: compressing 75 MB at Netty's default level on the event loop took ~1 s of CPU per
 * scrape and stalled every push on that loop, and the buffered text cost a 128 MB array; streamed,
 * the body is ~6 MB. The reply then carries {@code Content-Encoding}, which the pipeline's
 * compressor leaves alone.
 */
public final class MetricsEndpoint implements Endpoint {
    private static final int MIN_BUFFER_BYTES = 64 * 1024;

    private final PrometheusMeterRegistry registry;
    private final Executor scrapeExecutor;
    private final ExpositionFormats formats = ExpositionFormats.init();
    /** The last body's size, so that the next buffer starts big enough instead of doubling up to it. */
    private volatile int lastGzipBytes = MIN_BUFFER_BYTES;
    private volatile int lastPlainBytes = MIN_BUFFER_BYTES;

    public MetricsEndpoint(PrometheusMeterRegistry registry, Executor scrapeExecutor) {
        this.registry = registry;
        this.scrapeExecutor = scrapeExecutor;
    }

    @Override
    public CompletionStage<Reply> handle(Request request) {
        String accept = request.headers().get(HttpHeaderNames.ACCEPT);
        ExpositionFormatWriter writer = formats.findWriter(accept == null ? "" : accept);
        String contentType = writer.getContentType();
        boolean gzip = acceptsGzip(request.headers().get(HttpHeaderNames.ACCEPT_ENCODING));
        return CompletableFuture.supplyAsync(() -> scrape(contentType, gzip), scrapeExecutor);
    }

    private Reply scrape(String contentType, boolean gzip) {
        int hint = gzip ? lastGzipBytes : lastPlainBytes;
        ByteArrayOutputStream out = new ByteArrayOutputStream(hint + hint / 8);
        try (OutputStream sink = gzip ? new FastGzip(out) : out) {
            registry.scrape(sink, contentType);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int size = Math.max(MIN_BUFFER_BYTES, out.size());
        if (gzip) {
            lastGzipBytes = size;
        } else {
            lastPlainBytes = size;
        }
        Reply reply = Reply.of(HttpResponseStatus.OK, contentType, out.toByteArray())
                .withHeader(HttpHeaderNames.VARY.toString(), HttpHeaderNames.ACCEPT_ENCODING.toString());
        return gzip ? reply.withHeader(HttpHeaderNames.CONTENT_ENCODING.toString(), "gzip") : reply;
    }

    /** True if {@code Accept-Encoding} names gzip with a non-zero quality. */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String part : acceptEncoding.split(",")) {
            String[] params = part.split(";");
            String coding = params[0].trim();
            if (!coding.equalsIgnoreCase("gzip") && !coding.equalsIgnoreCase("x-gzip")) {
                continue;
            }
            for (int i = 1; i < params.length; i++) {
                String param = params[i].trim();
                if (param.startsWith("q=")) {
                    try {
                        return Double.parseDouble(param.substring(2)) > 0;
                    } catch (NumberFormatException e) {
                        return false;
                    }
                }
            }
            return true;
        }
        return false;
    }

    /** gzip at the fastest level: 3-4× less CPU than the default for ~1.5× the bytes. */
    private static final class FastGzip extends GZIPOutputStream {
        FastGzip(OutputStream out) throws IOException {
            super(out, 64 * 1024);
            def.setLevel(Deflater.BEST_SPEED);
        }
    }
}
