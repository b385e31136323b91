package io.linkprobe.collector.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.linkprobe.collector.Executables;
import io.linkprobe.collector.TestCollector;
import io.linkprobe.common.testing.Samples;
import io.linkprobe.common.wire.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus scrapes a real collector every second while windows are pushed, and its query
 * API answers DESIGN.md's quantile query with the 90th percentile of the pushed RTTs, within the
 * resolution of the collector's buckets. Skipped where the {@code prometheus} binary is absent
 * (CI installs Debian's package).
 */
class RealPrometheusTest {
    static final String TOKEN = "token-of-site-prom";
    static final String SITE = "prom-site";
    static final int PUSHES = 12;
    static final long LOST_UP_PER_WINDOW = 2;

    @TempDir
    Path dir;

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void quantileOfTheScrapedHistogramIsThePushedP90WithinItsBucket() throws Exception {
        Optional<Path> binary = Executables.onPath("prometheus");
        Assumptions.assumeTrue(binary.isPresent(),
                "skipped: no 'prometheus' on PATH (apt-get install prometheus; .ci/run installs it)");
        int[] rtts = fttcRttsMicros();
        try (TestCollector c = TestCollector.start(dir, Map.of(SITE, TOKEN))) {
            push(c, 0, rtts);
            int port = freePort();
            Process prometheus = startPrometheus(binary.get(), c.collector.httpPort(), port);
            try {
                URI api = URI.create("http://127.0.0.1:" + port + "/api/v1/query");
                awaitVector(api, "up{job=\"linkprobe\"} == 1", v -> v.size() == 1, prometheus);
                // Windows arrive while Prometheus scrapes, so that rate() sees the buckets grow.
                for (int seq = 1; seq <= PUSHES; seq++) {
                    push(c, seq, rtts);
                    Thread.sleep(500);
                }
                long lostUp = (PUSHES + 1) * LOST_UP_PER_WINDOW;
                JsonNode lost = awaitVector(api, "linkprobe_packets_lost_total{direction=\"up\"}",
                        v -> v.size() == 1 && value(v.get(0)) == lostUp, prometheus);
                JsonNode lostLabels = lost.get(0).get("metric");
                assertEquals(SITE, lostLabels.path("site").asText());
                assertEquals("hub", lostLabels.path("target").asText());
                assertEquals("up", lostLabels.path("direction").asText());
                // One more scrape interval, so every bucket's last sample is after the last push.
                Thread.sleep(1_500);

                JsonNode buckets = query(api, "linkprobe_rtt_seconds_bucket{site=\"" + SITE + "\"}");
                assertFalse(buckets.isEmpty(), "no buckets");
                TreeMap<Double, Double> bounds = new TreeMap<>();
                for (JsonNode b : buckets) {
                    assertEquals(SITE, b.get("metric").path("site").asText());
                    assertEquals("hub", b.get("metric").path("target").asText());
                    String le = b.get("metric").path("le").asText();
                    assertFalse(le.isEmpty(), "a bucket without le: " + b);
                    bounds.put(le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le), value(b));
                }
                assertEquals((double) (PUSHES + 1) * rtts.length, bounds.get(Double.POSITIVE_INFINITY),
                        "+Inf bucket counts every pushed RTT");

                JsonNode p90 = query(api, "histogram_quantile(0.9, sum by (le, site) "
                        + "(rate(linkprobe_rtt_seconds_bucket[1m])))");
                assertEquals(1, p90.size(), p90.toString());
                assertEquals(SITE, p90.get(0).get("metric").path("site").asText());
                double answer = value(p90.get(0));
                double truth = percentile(rtts, 0.9) / 1e6;
                double lower = Optional.ofNullable(bounds.lowerKey(truth)).orElse(0.0);
                double upper = bounds.ceilingKey(truth);
                System.out.printf("Prometheus: histogram_quantile(0.9) = %.4f s; pushed p90 %.4f s, bucket (%s, %s]%n",
                        answer, truth, lower, upper);
                assertTrue(answer > lower && answer <= upper, "p90 " + answer + " s outside the bucket (" + lower + ", "
                        + upper + "] that holds the pushed p90 " + truth + " s");
                // And exactly what linear interpolation in that bucket gives for the pushed counts.
                assertEquals(interpolatedQuantile(rtts, bounds.navigableKeySet().stream().toList(), 0.9), answer,
                        (upper - lower) * 0.01);
            } finally {
                stop(prometheus);
            }
        }
    }

    /** 300 RTTs of an FTTC line: ~18 ms base, most within a few ms, a tail from queueing; off bucket bounds. */
    static int[] fttcRttsMicros() {
        Random random = new Random(42);
        int[] rtts = new int[300];
        for (int i = 0; i < rtts.length; i++) {
            double queueing = -Math.log(1 - random.nextDouble()) * 3_000;
            rtts[i] = 18_000 + (int) queueing + 7;
        }
        return rtts;
    }

    static double percentile(int[] values, double q) {
        int[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.ceil(q * sorted.length) - 1];
    }

    /** Prometheus' histogram_quantile on the exact counts: find the bucket of rank q·n, interpolate linearly. */
    static double interpolatedQuantile(int[] rttsMicros, List<Double> bounds, double q) {
        double rank = q * rttsMicros.length;
        double lower = 0;
        long below = 0;
        for (double upper : bounds) {
            long cumulative = Arrays.stream(rttsMicros).filter(v -> v / 1e6 <= upper).count();
            if (cumulative >= rank) {
                return upper == Double.POSITIVE_INFINITY ? lower
                        : lower + (upper - lower) * (rank - below) / (cumulative - below);
            }
            lower = upper;
            below = cumulative;
        }
        throw new AssertionError("no +Inf bucket");
    }

    static void push(TestCollector c, long sequence, int[] rtts) throws Exception {
        HttpResponse<String> r = c.push(TOKEN, Samples.batch(SITE, sequence,
                Samples.window("hub", c.clock.millis() - 1_000, rtts, LOST_UP_PER_WINDOW, 1)));
        assertEquals(200, r.statusCode(), r.body());
    }

    Process startPrometheus(Path binary, int collectorPort, int port) throws IOException {
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: linkprobe
                    scrape_interval: 1s
                    scrape_timeout: 900ms
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(collectorPort));
        return new ProcessBuilder(binary.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    }

    /** Ends the child by its own handle (its pid), politely first. */
    static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    JsonNode query(URI api, String promql) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(api + "?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 503) {
            // Prometheus answers 503 until its TSDB has started: not an answer yet.
            throw new NotReadyYet(r.body());
        }
        assertEquals(200, r.statusCode(), promql + ": " + r.body());
        JsonNode body = Json.mapper().readTree(r.body());
        assertEquals("vector", body.path("data").path("resultType").asText(), r.body());
        return body.path("data").path("result");
    }

    /** Prometheus is still starting ({@code 503}). */
    static final class NotReadyYet extends IOException {
        NotReadyYet(String body) {
            super(body);
        }
    }

    /**
     * Polls {@code promql} until its vector satisfies {@code done}; fails with Prometheus' log after
     * 60 s (seconds on a quiet machine; the margin is for a busy one and is not part of the verdict).
     */
    JsonNode awaitVector(URI api, String promql, Predicate<JsonNode> done, Process prometheus) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            if (!prometheus.isAlive()) {
                throw new AssertionError("prometheus exited " + prometheus.exitValue() + ": " + log());
            }
            try {
                last = query(api, promql);
                if (done.test(last)) {
                    return last;
                }
            } catch (IOException notListeningOrReadyYet) {
                // started moments ago
            } catch (org.opentest4j.AssertionFailedError notReadyYet) {
                // Listening, but answering 503 until its TSDB has opened (slow on a loaded machine).
                if (!notReadyYet.getMessage().contains("Service Unavailable")) {
                    throw notReadyYet;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("'" + promql + "' never satisfied; last answer " + last + "; log: " + log());
    }

    private String log() throws IOException {
        Path log = dir.resolve("prometheus.log");
        return Files.exists(log) ? Files.readString(log) : "(no log)";
    }

    static double value(JsonNode sample) {
        return Double.parseDouble(sample.get("value").get(1).asText());
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
