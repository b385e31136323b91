package io.linkprobe.agent.plan;

import io.linkprobe.agent.http.CollectorHttp;
import io.linkprobe.common.wire.PlanReader;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * {@code GET /api/v1/plan} with the site's bearer token and, when the agent runs a plan,
 * {@code If-None-Match} with its version. The same collector URLs, TLS trust
 * ({@code collector.ca_file}) and request timeout as the pushes.
 *
 * <p>With several collectors ({@code collector.urls}) the plan is fetched the way results are
 * pushed: from the collector that answered last, and when it does not answer (or answers 5xx)
 * from the next in the list, each tried once per fetch. The collectors share one fleet file, so
 * any of them gives the same plan with the same version.
 *
 * <p>HTTP goes through the same seam as the pushes ({@link CollectorHttp}, blocking on the plan
 * thread).
 */
final class PlanClient {
    static final String PATH = "/api/v1/plan";

    /**
     * An answer: its status, its body (at most {@link PlanReader#MAX_BYTES} + 1 bytes are read, so
     * an over-long one is seen as such), and {@code Retry-After} if it carried one.
     */
    record Answer(int status, byte[] body, String retryAfter) {
        /** The body's first line, as a short reason for a log line. */
        String reason() {
            String text = new String(body, 0, Math.min(body.length, 300), java.nio.charset.StandardCharsets.UTF_8).strip();
            String line = text.lines().findFirst().orElse("");
            return line.isEmpty() ? "no reason given" : line.replaceAll("\\p{Cntrl}", "?");
        }
    }

    private final List<CollectorHttp> urls;
    /** The collector to ask first: the one that answered last. Only the plan thread touches it. */
    private int current;
    private final Supplier<String> token;

    /** @param tls the TLS context for an https collector, or null for the JDK's trusted CAs */
    PlanClient(URI collectorUrl, Supplier<String> token, SSLContext tls, Duration timeout) {
        this(List.of(collectorUrl), token, tls, timeout);
    }

    /** @param collectorUrls the collectors in order of preference, at least one */
    PlanClient(List<URI> collectorUrls, Supplier<String> token, SSLContext tls, Duration timeout) {
        if (collectorUrls.isEmpty()) {
            throw new IllegalArgumentException("no collector url");
        }
        this.urls = collectorUrls.stream().map(u -> new CollectorHttp(u, PATH, tls, timeout)).toList();
        this.token = token;
    }

    /** The plan URL of the collector asked first at the next fetch. */
    URL url() {
        return urls.get(current).url();
    }

    /** For a log line: the one plan URL, or every one when there are several. */
    String where() {
        return urls.size() == 1 ? urls.get(0).url().toString()
                : "any of " + urls.stream().map(CollectorHttp::url).toList();
    }

    /**
     * Asks the collector that answered last, then each other one in turn while there is no
     * answer or a 5xx; the first other answer is returned.
     *
     * @param version the version of the plan the agent runs, sent as {@code If-None-Match}; null for none
     * @return the first answer that is not 5xx, else the last 5xx
     * @throws IOException when no collector answers (unreachable, TLS refused, timeout): the last error
     */
    Answer fetch(String version) throws IOException {
        IOException noAnswer = null;
        Answer serverError = null;
        for (int tried = 0; tried < urls.size(); tried++) {
            try {
                Answer a = fetchFrom(urls.get(current), version);
                if (a.status() < 500) {
                    return a;
                }
                serverError = a;
            } catch (IOException e) {
                noAnswer = e;
            }
            if (tried + 1 < urls.size()) {
                current = (current + 1) % urls.size();
            }
        }
        if (serverError != null) {
            return serverError;
        }
        throw noAnswer;
    }

    private Answer fetchFrom(CollectorHttp http, String version) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + token.get());
        headers.put("Accept", "application/json");
        if (version != null) {
            headers.put("If-None-Match", "\"" + version + "\"");
        }
        CollectorHttp.Answer a = http.get(headers, PlanReader.MAX_BYTES);
        return new Answer(a.status(), a.body(), a.retryAfter());
    }
}
