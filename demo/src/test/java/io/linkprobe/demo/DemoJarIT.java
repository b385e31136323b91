package io.linkprobe.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    /**
     * What a newcomer does next: runs the printed {@code linkprobe-agent test} command as it is
     * (from the repository root, where its jar path points; {@code java} is this JVM's), with
     * throughput both ways, and it succeeds against the demo.
     */
    private static void runPrintedTestCommand(Path java, String printed) throws Exception {
        List<String> words = new java.util.ArrayList<>(List.of(printed.trim().split("\\s+")));
        assertTrue(words.get(0).equals("java") && !printed.contains("--latency-only"), printed);
        words.set(0, java.toString());
        words.add("--json");
        Path root = Path.of("..").toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(root.resolve("agent/target/linkprobe-agent.jar")), "the agent jar is built");
        Process test = new ProcessBuilder(words).directory(root.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String json = new String(test.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(test.waitFor(120, TimeUnit.SECONDS), "the printed test command did not finish");
        System.out.println("demo's printed test command: " + printed + "\n" + json);
        assertEquals(0, test.exitValue(), json);
        assertTrue(json.contains("\"download\"") && json.contains("\"upload\"") && !json.contains("\"error\""), json);
    }

    /**
     * The one-shot video-readiness test against the demo's responder (its STAMP port, from the
     * printed command): a call and a short ladder, JSON with a verdict.
     */
    private static void runVideoTest(Path java, String printed) throws Exception {
        Matcher port = Pattern.compile("--stamp-port (\\d+)").matcher(printed);
        assertTrue(port.find(), printed);
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<String> words = List.of(java.toString(), "-jar", "agent/target/linkprobe-agent.jar", "test", "127.0.0.1",
                "--stamp-port", port.group(1), "--video", "--calls", "2", "--call-seconds", "5", "--step-seconds", "2",
                "--json");
        long started = System.nanoTime();
        Process test = new ProcessBuilder(words).directory(root.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String json = new String(test.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(test.waitFor(120, TimeUnit.SECONDS), "the video test did not finish");
        System.out.printf("demo: %s (%.1f s)%n%s%n", String.join(" ", words.subList(2, words.size())),
                (System.nanoTime() - started) / 1e9, json);
        assertEquals(0, test.exitValue(), json);
        assertTrue(json.contains("\"result\":\"ok\"") && json.matches("(?s).*\"verdict\":\"(ready|marginal|not_ready)\".*"),
                json);
    }

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
            String testCommand = null;
            StringBuilder seen = new StringBuilder();
            long started = System.nanoTime();
            for (String line; (line = out.readLine()) != null; ) {
                seen.append(line).append('\n');
                Matcher m = Pattern.compile("metrics\\s+(http://\\S+/metrics)").matcher(line);
                if (m.find()) {
                    metricsUrl = m.group(1);
                }
                Matcher t = Pattern.compile("one-shot test\\s+(java -jar .*)").matcher(line);
                if (t.find()) {
                    testCommand = t.group(1);
                    break;
                }
            }
            assertNotNull(metricsUrl, "demo printed no metrics URL:\n" + seen);
            assertNotNull(testCommand, "demo printed no one-shot test command:\n" + seen);
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
            // The agent runs the plan the demo's collector gives it: the demo's window and test
            // period, not the production defaults (60 s windows, a test every 4 h).
            Matcher key = Pattern.compile("--key-file (\\S+)").matcher(testCommand);
            assertTrue(key.find(), testCommand);
            String token = Files.readString(Path.of(key.group(1))).strip();
            String plan = http.send(HttpRequest.newBuilder(URI.create(metricsUrl.replace("/metrics", "/api/v1/plan")))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(plan.contains("\"window_millis\":2000") && plan.contains("\"every_millis\":60000"), plan);
            assertTrue(plan.matches("(?s).*\"connect_port\":" + URI.create(metricsUrl).getPort() + "\\b.*"),
                    "the plan's target has the connect probe on the collector's port: " + plan);
            assertTrue(plan.matches("(?s).*\"video\":\\{[^}]*\"enabled\":true.*"),
                    "the demo schedules video tests in the plan: " + plan);
            runPrintedTestCommand(java, testCommand);
            runVideoTest(java, testCommand);
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
