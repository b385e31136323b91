package io.linkprobe.collector.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.collector.TestCollector;
import io.linkprobe.common.testing.Samples;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every HTTP endpoint the READMEs list (README.md's "HTTP:" paragraph and deploy/README.md's port
 * table) is served by a real collector: a documented path that answers 404 is a doc that lies.
 */
class ReadmeEndpointsTest {
    private static final String TOKEN = "token-of-site-t";
    private static final Pattern ENDPOINT = Pattern.compile("`(?:(GET|POST) )?(/[A-Za-z0-9_./{}\\-]*)(?:\\?[^`]*)?`");

    @TempDir
    Path dir;

    @Test
    void everyEndpointTheReadmesListAnswers() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        Set<String> endpoints = new LinkedHashSet<>();
        endpoints.addAll(endpoints(line(root.resolve("README.md"), "HTTP: ")));
        endpoints.addAll(endpoints(line(root.resolve("deploy/README.md"), "| 9862/tcp")));
        assertTrue(endpoints.contains("GET /metrics") && endpoints.contains("POST /api/v1/samples"), endpoints.toString());

        try (TestCollector c = TestCollector.start(dir, Map.of("t", TOKEN))) {
            assertEquals(200, c.push(TOKEN, Samples.batch("t", 1, Samples.window("hub", c.clock.millis() - 5_000,
                    new int[] {1_000}, 0, 0))).statusCode());
            List<String> missing = new ArrayList<>();
            for (String endpoint : endpoints) {
                String[] parts = endpoint.split(" ", 2);
                String path = parts[1].replace("{site}", "t");
                HttpRequest.Builder request = HttpRequest.newBuilder(c.uri(path));
                if (parts[0].equals("POST")) {
                    request.POST(HttpRequest.BodyPublishers.ofString("{}"));
                }
                HttpResponse<String> r = c.send(request.build());
                // Served: anything but "no such path" (a POST without a token is 401, not 404).
                if (r.statusCode() == 404 || r.statusCode() == 405) {
                    missing.add(endpoint + " -> " + r.statusCode());
                }
            }
            assertTrue(missing.isEmpty(), "documented but not served: " + missing);
        }
    }

    private static String line(Path file, String start) throws Exception {
        String text = Files.readString(file);
        int at = text.indexOf(start);
        assertTrue(at >= 0, file + " has no line starting '" + start + "'");
        int end = text.indexOf("\n\n", at);
        return text.substring(at, end < 0 ? text.length() : end);
    }

    /** "GET /path" or "POST /path" for each backticked path; GET when the doc names no method. */
    static List<String> endpoints(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = ENDPOINT.matcher(text);
        while (m.find()) {
            String path = m.group(2);
            if (path.length() > 1 && path.endsWith("/")) {
                continue;
            }
            out.add((m.group(1) == null ? "GET" : m.group(1)) + " " + path);
        }
        if (text.contains("status page") && !out.contains("GET /")) {
            out.add("GET /");
        }
        return out;
    }
}
