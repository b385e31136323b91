package io.linkprobe.demo;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's demo, {@code java -jar demo/target/linkprobe-demo.jar}, run from the built jar as a
 * separate process: /metrics shows RTT observations for site "demo" (README says within 15 s on a
 * quiet machine; the test prints how long it took and allows 60 s, so a busy machine cannot fail
 * it), and SIGTERM (what Ctrl-C amounts to) stops it cleanly.
 */
class DemoJarIT {
    private static final Pattern RTT_COUNT =
            Pattern.compile("(?m)^linkprobe_rtt_seconds_count\\{site=\"demo\",target=\"collector\"} (\\d+)");

    @Test
    void demoShowsRttForSiteDemoAndStopsOnSigterm() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path jar = Path.of(System.getProperty("linkprobe.demo.jar", "target/linkprobe-demo.jar"));
        assertTrue(Files.isRegularFile(jar), jar + " is built by `mvn package`");
        Process p = new ProcessBuilder(List.of(java.toString(), "-jar", jar.toString(),
                "--http-port", "0", "--window", "2s"))
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String metricsUrl = null;
            StringBuilder seen = new StringBuilder();
            long started = System.nanoTime();
            for (String line; (line = out.readLine()) != null; ) {
                seen.append(line).append('\n');
                Matcher m = Pattern.compile("metrics\\s+(http://\\S+/metrics)").matcher(line);
                if (m.find()) {
                    metricsUrl = m.group(1);
                    break;
                }
            }
            assertNotNull(metricsUrl, "demo printed no metrics URL:\n" + seen);
            Thread drain = new Thread(() -> out.lines().forEach(l -> { }));
            drain.setDaemon(true);
            drain.start();

            HttpClient http = HttpClient.newHttpClient();
            long count = 0;
            while (System.nanoTime() - started < TimeUnit.SECONDS.toNanos(60) && count == 0) {
                String body = http.send(HttpRequest.newBuilder(URI.create(metricsUrl)).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                Matcher m = RTT_COUNT.matcher(body);
                count = m.find() ? Long.parseLong(m.group(1)) : 0;
                if (count == 0) {
                    Thread.sleep(500);
                }
            }
            assertTrue(count > 0, "no RTT observations for site demo within 60 s");
            System.out.printf("demo: first RTT observations on /metrics %.1f s after start%n",
                    (System.nanoTime() - started) / 1e9);

            p.destroy();
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), "demo did not stop on SIGTERM");
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
        assertFalse(p.isAlive());
    }
}
