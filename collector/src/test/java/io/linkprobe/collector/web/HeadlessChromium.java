package io.linkprobe.collector.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linkprobe.common.wire.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A headless Chromium driven over the DevTools protocol (JSON commands with ids over a WebSocket):
 * the viewport set to a given size, a page loaded, an expression evaluated in it. The pages run no
 * script of their own (their Content-Security-Policy forbids any), so measuring their layout needs
 * the browser's own evaluation, which a page's policy does not govern. Started with
 * {@code --remote-debugging-port=0}: Chromium writes the port it took into {@code DevToolsActivePort}
 * in its profile directory. Ended by pid, with its renderer and zygote.
 */
final class HeadlessChromium implements AutoCloseable {
    /** The bound on each step: start, one command, one page load. */
    private static final Duration STEP = Duration.ofSeconds(30);

    private final Process process;
    private final Path log;
    private final Map<Integer, CompletableFuture<JsonNode>> pending;
    private final AtomicInteger ids = new AtomicInteger();
    private WebSocket socket;

    private HeadlessChromium(Process process, Path log, Map<Integer, CompletableFuture<JsonNode>> pending) {
        this.process = process;
        this.log = log;
        this.pending = pending;
    }

    static HeadlessChromium start(Path chromium, Path dir) throws Exception {
        Path profile = Files.createDirectories(dir.resolve("chromium-profile"));
        Path log = dir.resolve("chromium.log");
        Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--disable-extensions", "--hide-scrollbars", "--user-data-dir=" + profile,
                "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "about:blank")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        HeadlessChromium browser = new HeadlessChromium(p, log, new ConcurrentHashMap<>());
        try {
            browser.connect(profile.resolve("DevToolsActivePort"));
            return browser;
        } catch (Exception | AssertionError e) {
            browser.close();
            throw e;
        }
    }

    private void connect(Path portFile) throws Exception {
        long deadline = System.nanoTime() + STEP.toNanos();
        while (!Files.exists(portFile) || Files.readAllLines(portFile).size() < 2) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("chromium did not open its DevTools port within " + STEP.toSeconds() + " s: "
                        + Files.readString(log));
            }
            Thread.sleep(50);
        }
        int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String pageSocket = null;
        String targets = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                .timeout(STEP).build(), HttpResponse.BodyHandlers.ofString()).body();
        for (JsonNode target : Json.mapper().readTree(targets)) {
            if ("page".equals(target.path("type").asText())) {
                pageSocket = target.get("webSocketDebuggerUrl").asText();
            }
        }
        if (pageSocket == null) {
            throw new AssertionError("chromium lists no page target: " + targets);
        }
        socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create(pageSocket), new Replies(pending)).get(STEP.toSeconds(), TimeUnit.SECONDS);
    }

    /** The viewport a desktop browser window of this size shows (device pixels = CSS pixels). */
    void viewport(int width, int height) throws Exception {
        ObjectNode params = Json.mapper().createObjectNode().put("width", width).put("height", height)
                .put("deviceScaleFactor", 1).put("mobile", false);
        command("Emulation.setDeviceMetricsOverride", params);
    }

    /** Loads {@code url} and waits until the document and its resources are loaded. */
    void load(String url) throws Exception {
        command("Page.navigate", Json.mapper().createObjectNode().put("url", url));
        long deadline = System.nanoTime() + STEP.toNanos();
        while (!"complete".equals(evaluate("document.location.href === " + Json.mapper().writeValueAsString(url)
                + " ? document.readyState : 'navigating'").asText())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(url + " did not load within " + STEP.toSeconds() + " s");
            }
            Thread.sleep(50);
        }
    }

    /** The value of a JavaScript expression in the page (JSON-serialisable values only). */
    JsonNode evaluate(String expression) throws Exception {
        JsonNode result = command("Runtime.evaluate", Json.mapper().createObjectNode()
                .put("expression", expression).put("returnByValue", true));
        if (result.has("exceptionDetails")) {
            throw new AssertionError("evaluating " + expression + ": " + result.get("exceptionDetails"));
        }
        return result.path("result").path("value");
    }

    private JsonNode command(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        ObjectNode message = Json.mapper().createObjectNode().put("id", id).put("method", method);
        message.set("params", params);
        socket.sendText(Json.mapper().writeValueAsString(message), true).get(STEP.toSeconds(), TimeUnit.SECONDS);
        JsonNode answer = reply.get(STEP.toSeconds(), TimeUnit.SECONDS);
        if (answer.has("error")) {
            throw new AssertionError(method + " failed: " + answer.get("error"));
        }
        return answer.path("result");
    }

    @Override
    public void close() {
        if (socket != null) {
            socket.abort();
        }
        // Its renderer and zygote are its children: end them by pid too, never by name.
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Completes each command's future with the message that carries its id; events are ignored. */
    private static final class Replies implements WebSocket.Listener {
        private final Map<Integer, CompletableFuture<JsonNode>> pending;
        private final StringBuilder text = new StringBuilder();

        Replies(Map<Integer, CompletableFuture<JsonNode>> pending) {
            this.pending = pending;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                try {
                    JsonNode message = Json.mapper().readTree(text.toString());
                    CompletableFuture<JsonNode> reply = message.has("id") ? pending.remove(message.get("id").asInt()) : null;
                    if (reply != null) {
                        reply.complete(message);
                    }
                } catch (java.io.IOException e) {
                    pending.values().forEach(f -> f.completeExceptionally(e));
                }
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }
}
