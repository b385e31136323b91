package io.linkprobe.collector.metrics;

import static io.linkprobe.collector.Exposition.require;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.collector.TestCollector;
import io.linkprobe.common.testing.Samples;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /metrics compressed by the endpoint (off the event loop) exactly once, and only when asked. */
class MetricsCompressionTest {
    @Test
    void scrapeAcceptingGzipIsGzippedOnceAndReadsAsTheSameExposition(@TempDir Path dir) throws Exception {
        try (TestCollector c = TestCollector.start(dir, Map.of("t", "token-t"))) {
            long end = c.clock.millis() - 5_000;
            assertEquals(200, c.push("token-t", Samples.batch("t", 1,
                    Samples.window("hub", end, new int[] {900, 12_000}, 0, 0))).statusCode());

            HttpResponse<byte[]> gz = c.http.send(HttpRequest.newBuilder(c.uri("/metrics"))
                    .header("Accept-Encoding", "gzip").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, gz.statusCode());
            assertEquals("gzip", gz.headers().firstValue("Content-Encoding").orElse(""));
            assertEquals("accept-encoding", gz.headers().firstValue("Vary").orElse("").toLowerCase());
            String inflated;
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz.body()))) {
                inflated = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            assertEquals(1, require(inflated, "linkprobe_rtt_seconds_bucket", "site=\"t\"", "le=\"0.001\""),
                    "one gunzip gives the exposition text");

            String plain = c.metrics();
            assertEquals(1, require(plain, "linkprobe_rtt_seconds_bucket", "site=\"t\"", "le=\"0.001\""));
        }
    }

    @Test
    void onlyANonZeroQualityForGzipCounts() {
        assertTrue(MetricsEndpoint.acceptsGzip("gzip"));
        assertTrue(MetricsEndpoint.acceptsGzip("deflate, GZIP;q=0.5"));
        assertTrue(MetricsEndpoint.acceptsGzip("x-gzip"));
        assertFalse(MetricsEndpoint.acceptsGzip(null));
        assertFalse(MetricsEndpoint.acceptsGzip("identity"));
        assertFalse(MetricsEndpoint.acceptsGzip("gzip;q=0"));
        assertFalse(MetricsEndpoint.acceptsGzip("br, deflate"));
    }
}
