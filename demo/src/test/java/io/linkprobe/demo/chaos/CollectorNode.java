package io.linkprobe.demo.chaos;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The real collector jar as a process, on fixed loopback ports (agents must find it again after a
 * kill), with its embedded responder as the agents' STAMP target, its archive in {@code dir}, and
 * a tokens file the test edits the way an operator does (atomically; the collector re-reads it
 * within 5 s).
 */
final class CollectorNode implements AutoCloseable {
    static final List<String> JVM = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    final Path dir;
    final int httpPort = FreePorts.tcp();
    final int stampPort = FreePorts.udp();
    private final Map<String, String> tokenBySite = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final JarProcess process;

    CollectorNode(Path dir, Path jar, Path archive) throws IOException {
        this(dir, jar, "{path: " + archive + "}");
    }

    /** @param archiveYaml the value of {@code archive:}, e.g. {@code {url: 'jdbc:postgresql://...'}} */
    CollectorNode(Path dir, Path jar, String archiveYaml) throws IOException {
        this.dir = Files.createDirectories(dir);
        // No plan for any site (404): the agents measure their own agent.yml (5 s windows), as
        // the ledger expects, rather than the default plan's 60 s windows and 4-hourly tests.
        Files.writeString(dir.resolve("fleet.yml"), """
                embedded_responder: {enabled: false}
                defaults: {throughput: {enabled: false}}
                """);
        Files.writeString(dir.resolve("collector.yml"), String.format("""
                http: {bind: 127.0.0.1, port: %d}
                tokens_file: tokens
                fleet_file: fleet.yml
                archive: %s
                responder: {enabled: true, stamp_port: %d, throughput_port: %d}
                """, httpPort, archiveYaml, stampPort, FreePorts.tcp()));
        writeTokens();
        this.process = new JarProcess("collector", jar, JVM,
                List.of("run", "--config", dir.resolve("collector.yml").toString()), dir.resolve("collector.log"));
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + httpPort);
    }

    Path archive() throws IOException {
        String yml = Files.readString(dir.resolve("collector.yml"));
        String path = yml.substring(yml.indexOf("archive: {path: ") + 16);
        return Path.of(path.substring(0, path.indexOf('}')).trim());
    }

    JarProcess process() {
        return process;
    }

    /** Whether the process runs (it may not answer yet). */
    boolean alive() {
        return process.alive();
    }

    /** Starts the collector and returns the wall-clock time it answered {@code /-/ready} 200. */
    long start(Duration bound) throws IOException, InterruptedException {
        process.start();
        return awaitReady(bound);
    }

    long awaitReady(Duration bound) throws IOException, InterruptedException {
        long until = System.nanoTime() + bound.toNanos();
        while (System.nanoTime() < until) {
            if (!process.alive()) {
                throw new AssertionError("the collector exited:\n" + tail(process.log()));
            }
            try {
                if (get("/-/ready").statusCode() == 200) {
                    return System.currentTimeMillis();
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the collector was not ready within " + bound + ":\n" + tail(process.log()));
    }

    void kill9() throws InterruptedException {
        process.kill9();
    }

    int stop() throws InterruptedException {
        return process.terminate();
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(url().resolve(path)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    HttpResponse<String> push(String token, String json) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(url().resolve("/api/v1/samples")).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    String metrics() throws IOException, InterruptedException {
        return get("/metrics").body();
    }

    /** Admits {@code site} with {@code token} (a new line, or the site's token replaced: a rotation). */
    void admit(String site, String token) throws IOException {
        tokenBySite.put(site, token);
        writeTokens();
    }

    /** Revokes the site's token: its line leaves the tokens file. */
    void revoke(String site) throws IOException {
        tokenBySite.remove(site);
        writeTokens();
    }

    private void writeTokens() throws IOException {
        StringBuilder lines = new StringBuilder("# chaos test tokens\n");
        tokenBySite.forEach((site, token) -> lines.append(sha256(token)).append(' ').append(site).append('\n'));
        Path tmp = dir.resolve("tokens.tmp");
        Files.writeString(tmp, lines, StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve("tokens"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String tail(String log) {
        String[] lines = log.split("\n");
        return String.join("\n", java.util.Arrays.asList(lines).subList(Math.max(0, lines.length - 30), lines.length));
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
