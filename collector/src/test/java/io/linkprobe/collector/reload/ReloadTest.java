package io.linkprobe.collector.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.collector.Exposition;
import io.linkprobe.collector.MutableClock;
import io.linkprobe.collector.TestCollector;
import io.linkprobe.common.auth.Tokens;
import io.linkprobe.collector.config.CollectorConfig;
import io.linkprobe.collector.http.Reply;
import io.linkprobe.collector.http.Request;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reload like a Prometheus exporter: POST /-/reload and SIGHUP, a broken edit changes nothing and says why. */
class ReloadTest {
    @TempDir
    Path dir;

    static HttpResponse<String> post(TestCollector c) throws Exception {
        return c.send(HttpRequest.newBuilder(c.uri("/-/reload")).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    @Test
    void aBrokenEditKeepsTheConfigurationInForceAndThePostSaysWhy() throws Exception {
        Path fleet = Files.writeString(dir.resolve("fleet.yml"), "defaults: {throughput: {every: 4h}}\n");
        try (TestCollector c = TestCollector.start(dir, Map.of("site-a", "token-a"), MutableClock.now(),
                cfg -> cfg.withResponder(new CollectorConfig.Responder(true, 0, 0, 1, null, null)).withFleetFile(fleet))) {
            double loaded = Exposition.unlabelled(c.metrics(), "linkprobe_collector_config_last_reload_success_timestamp_seconds");
            assertEquals(1.0, Exposition.unlabelled(c.metrics(), "linkprobe_collector_config_last_reload_successful"));
            String planBefore = c.send(HttpRequest.newBuilder(c.uri("/api/v1/plan"))
                    .header("Authorization", "Bearer token-a").build()).body();

            Files.writeString(fleet, "defaults:\n  throughput: {every: 30s}\n");
            HttpResponse<String> broken = post(c);

            assertEquals(500, broken.statusCode());
            assertTrue(broken.body().startsWith("reload failed: " + fleet + ":2:16: throughput.every must be at least 1m"),
                    broken.body());
            assertTrue(broken.body().contains("The configuration in force stays"), broken.body());
            assertEquals(0.0, Exposition.unlabelled(c.metrics(), "linkprobe_collector_config_last_reload_successful"));
            assertEquals(loaded, Exposition.unlabelled(c.metrics(),
                    "linkprobe_collector_config_last_reload_success_timestamp_seconds"));
            assertEquals(planBefore, c.send(HttpRequest.newBuilder(c.uri("/api/v1/plan"))
                    .header("Authorization", "Bearer token-a").build()).body(), "the plan in force stays");

            Files.writeString(fleet, "defaults:\n  throughput: {every: 6h}\n");
            HttpResponse<String> fixed = post(c);
            assertEquals(200, fixed.statusCode(), fixed.body());
            assertTrue(fixed.body().startsWith("reloaded: 1 tokens, 1 sites planned on 1 responders"), fixed.body());
            assertEquals(1.0, Exposition.unlabelled(c.metrics(), "linkprobe_collector_config_last_reload_successful"));
            assertTrue(Exposition.unlabelled(c.metrics(),
                    "linkprobe_collector_config_last_reload_success_timestamp_seconds") >= loaded);
        }
    }

    @Test
    void onlyTheCollectorsOwnHostMayPostAReloadUnlessConfiguredOtherwise() throws Exception {
        Path tokens = Files.writeString(dir.resolve("tokens"), Tokens.fileLine("t", "s") + "\n");
        LiveConfig live = LiveConfig.open(tokens, null, () -> new io.linkprobe.collector.plan.Pool.Embedded(true, 862,
                9863, 1, null), io.linkprobe.collector.plan.SiteFacts.NONE, (ok, at, failed) -> { }, Clock.systemUTC());
        Request fromHost = request(new InetSocketAddress("127.0.0.1", 40000));
        Request fromAfar = request(new InetSocketAddress("198.18.0.7", 40000));

        assertEquals(200, answer(live, CollectorConfig.ReloadEndpoint.LOOPBACK, fromHost).status().code());
        Reply refused = answer(live, CollectorConfig.ReloadEndpoint.LOOPBACK, fromAfar);
        assertEquals(403, refused.status().code());
        assertTrue(new String(refused.body(), StandardCharsets.UTF_8).contains("set http.reload_endpoint: any"));
        assertEquals(200, answer(live, CollectorConfig.ReloadEndpoint.ANY, fromAfar).status().code());
        assertEquals(403, answer(live, CollectorConfig.ReloadEndpoint.OFF, fromHost).status().code());
    }

    private static Request request(InetSocketAddress remote) {
        return new Request(HttpMethod.POST, ReloadEndpoint.PATH, Map.of(), new DefaultHttpHeaders(), Unpooled.EMPTY_BUFFER,
                Runnable::run, remote);
    }

    private static Reply answer(LiveConfig live, CollectorConfig.ReloadEndpoint allowed, Request r) throws Exception {
        return new ReloadEndpoint(live, allowed, Runnable::run).handle(r).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** The real command in its own JVM, sent a real SIGHUP: files unchanged, yet it reloads (the timestamp moves). */
    @Test
    void sighupReloadsTheRunningCollector() throws Exception {
        Files.writeString(dir.resolve("tokens"), Tokens.fileLine("token-a", "site-a") + "\n");
        Files.writeString(dir.resolve("fleet.yml"), "defaults: {throughput: {every: 4h}}\n");
        // A config file names real ports (0 is refused there: agents and Prometheus could not find
        // the collector): ports free now, on loopback.
        int httpPort;
        int throughputPort;
        int stampPort;
        try (ServerSocket a = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ServerSocket b = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                DatagramSocket u = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            httpPort = a.getLocalPort();
            throughputPort = b.getLocalPort();
            stampPort = u.getLocalPort();
        }
        Path config = Files.writeString(dir.resolve("collector.yml"), """
                http: {bind: 127.0.0.1, port: %d}
                tokens_file: tokens
                fleet_file: fleet.yml
                archive: {path: archive.db}
                responder: {stamp_port: %d, throughput_port: %d}
                """.formatted(httpPort, stampPort, throughputPort));
        // The test class path has logback-test.xml (warnings only), which wins over --log.level: a
        // configuration of its own at info, for the "listening on" and "reloaded" lines.
        Path logback = Files.writeString(dir.resolve("logback.xml"), """
                <configuration>
                  <appender name="out" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%level %logger{0}: %msg%n</pattern></encoder>
                  </appender>
                  <root level="INFO"><appender-ref ref="out"/></root>
                </configuration>
                """);
        // env --default-signal=HUP: a SIGHUP that this test's own parent ignores (mvn started under
        // nohup, as on a busy CI runner) would be inherited as ignored, and the JVM keeps it so.
        Process p = new ProcessBuilder("env", "--default-signal=HUP",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dlogback.configurationFile=" + logback, "-cp", System.getProperty("java.class.path"),
                "io.linkprobe.collector.CollectorMain", "run", "--config", config.toString())
                .redirectErrorStream(true).start();
        try {
            StringBuffer output = new StringBuffer();
            CompletableFuture<Integer> port = new CompletableFuture<>();
            Thread reader = new Thread(() -> {
                Pattern listening = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");
                try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        output.append(line).append('\n');
                        Matcher m = listening.matcher(line);
                        if (m.find()) {
                            port.complete(Integer.parseInt(m.group(1)));
                        }
                    }
                } catch (java.io.IOException e) {
                    port.completeExceptionally(e);
                }
                port.completeExceptionally(new AssertionError("the collector exited:\n" + output));
            }, "collector-output");
            reader.setDaemon(true);
            reader.start();
            URI metrics = URI.create("http://127.0.0.1:" + port.get(60, TimeUnit.SECONDS) + "/metrics");
            HttpClient http = HttpClient.newHttpClient();
            double before = Exposition.unlabelled(http.send(HttpRequest.newBuilder(metrics).build(),
                    HttpResponse.BodyHandlers.ofString()).body(), "linkprobe_collector_config_last_reload_success_timestamp_seconds");
            Thread.sleep(20);

            assertEquals(0, new ProcessBuilder("kill", "-HUP", Long.toString(p.pid())).start().waitFor());

            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            double after = before;
            while (after <= before && System.nanoTime() < deadline) {
                Thread.sleep(100);
                after = Exposition.unlabelled(http.send(HttpRequest.newBuilder(metrics).build(),
                        HttpResponse.BodyHandlers.ofString()).body(), "linkprobe_collector_config_last_reload_success_timestamp_seconds");
            }
            assertTrue(after > before, "no reload after SIGHUP:\n" + output);
            assertTrue(p.isAlive(), "SIGHUP must not stop the collector");
            assertTrue(output.toString().contains("reloaded (SIGHUP): 1 tokens, 1 sites planned"), output.toString());
        } finally {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
