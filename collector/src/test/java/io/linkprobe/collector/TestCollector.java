package io.linkprobe.collector;

import io.linkprobe.common.auth.Tokens;
import io.linkprobe.collector.config.CollectorConfig;
import io.linkprobe.collector.config.Limits;
import io.linkprobe.common.testing.Samples;
import io.linkprobe.common.wire.PushBatch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPOutputStream;

/**
 * A real collector on 127.0.0.1, port 0, with its archive in {@code dir}, a tokens file admitting
 * each {@code site → token} given, and a hand-moved clock; plus a JDK HTTP client to talk to it.
 */
public final class TestCollector implements AutoCloseable {
    public final Path dir;
    public final MutableClock clock;
    public final Collector collector;
    public final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestCollector(Path dir, MutableClock clock, Collector collector) {
        this.dir = dir;
        this.clock = clock;
        this.collector = collector;
    }

    public static TestCollector start(Path dir, Map<String, String> tokenBySite) throws Exception {
        return start(dir, tokenBySite, MutableClock.now(), c -> c);
    }

    public static TestCollector start(Path dir, Map<String, String> tokenBySite, MutableClock clock,
            UnaryOperator<CollectorConfig> tweak) throws Exception {
        Path tokens = dir.resolve("tokens");
        StringBuilder lines = new StringBuilder("# test tokens\n");
        tokenBySite.forEach((site, token) -> lines.append(Tokens.fileLine(token, site)).append('\n'));
        Files.writeString(tokens, lines);
        CollectorConfig config = CollectorConfig.defaults(tokens)
                .withHttp(CollectorConfig.Http.loopback(0))
                .withArchive(CollectorConfig.Archive.sqlite(dir.resolve("collector.db")))
                .withResponder(CollectorConfig.Responder.DISABLED)
                .withLimits(Limits.DEFAULT);
        Collector collector = Collector.start(tweak.apply(config), Collector.Options.defaults().withClock(clock));
        return new TestCollector(dir, clock, collector);
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + collector.httpPort() + path);
    }

    public HttpResponse<String> push(String token, String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri("/api/v1/samples"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    public HttpResponse<String> push(String token, PushBatch batch) throws IOException, InterruptedException {
        return push(token, Samples.json(batch));
    }

    public HttpResponse<String> pushGzip(String token, byte[] plain) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri("/api/v1/samples"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(gzip(plain))).build());
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).GET().build());
    }

    public HttpResponse<String> get(String path, String accept) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).header("Accept", accept).GET().build());
    }

    /** The classic text exposition. */
    public String metrics() throws IOException, InterruptedException {
        return get("/metrics").body();
    }

    public HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    public static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        collector.close();
    }
}
