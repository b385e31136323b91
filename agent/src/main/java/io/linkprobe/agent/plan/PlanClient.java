package io.linkprobe.agent.plan;

import io.linkprobe.common.wire.PlanReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.function.Supplier;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;

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
 * <p>HTTP is the JDK's {@link HttpURLConnection}, blocking on the plan thread: one small GET every
 * few minutes needs no client with selector and worker threads of its own, and it keeps the
 * connection alive between requests when the answer is read to its end.
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

    private final java.util.List<URL> urls;
    /** The collector to ask first: the one that answered last. Only the plan thread touches it. */
    private int current;
    private final Supplier<String> token;
    private final SSLSocketFactory tls;
    private final int timeoutMillis;

    /** @param tls the TLS context for an https collector, or null for the JDK's trusted CAs */
    PlanClient(URI collectorUrl, Supplier<String> token, SSLContext tls, Duration timeout) {
        this(java.util.List.of(collectorUrl), token, tls, timeout);
    }

    /** @param collectorUrls the collectors in order of preference, at least one */
    PlanClient(java.util.List<URI> collectorUrls, Supplier<String> token, SSLContext tls, Duration timeout) {
        java.util.List<URL> resolved = new java.util.ArrayList<>();
        for (URI collectorUrl : collectorUrls) {
            try {
                resolved.add(collectorUrl.resolve(PATH).toURL());
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException("collector url " + collectorUrl + " is not a valid URL", e);
            }
        }
        if (resolved.isEmpty()) {
            throw new IllegalArgumentException("no collector url");
        }
        this.urls = java.util.List.copyOf(resolved);
        this.token = token;
        this.tls = tls == null ? null : tls.getSocketFactory();
        this.timeoutMillis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    }

    /** The plan URL of the collector asked first at the next fetch. */
    URL url() {
        return urls.get(current);
    }

    /** For a log line: the one plan URL, or every one when there are several. */
    String where() {
        return urls.size() == 1 ? urls.get(0).toString() : "any of " + urls;
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

    private Answer fetchFrom(URL url, String version) throws IOException {
        HttpURLConnection c = (HttpURLConnection) url.openConnection();
        try {
            if (tls != null && c instanceof HttpsURLConnection https) {
                https.setSSLSocketFactory(tls);
            }
            c.setConnectTimeout(timeoutMillis);
            c.setReadTimeout(timeoutMillis);
            c.setUseCaches(false);
            c.setInstanceFollowRedirects(false);
            c.setRequestProperty("Authorization", "Bearer " + token.get());
            c.setRequestProperty("Accept", "application/json");
            if (version != null) {
                c.setRequestProperty("If-None-Match", "\"" + version + "\"");
            }
            int status = c.getResponseCode();
            InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream();
            return new Answer(status, in == null ? new byte[0] : readBounded(in), c.getHeaderField("Retry-After"));
        } catch (IOException e) {
            c.disconnect();
            throw e;
        }
    }

    /**
     * Reads the answer to its end (so the connection can be reused), or up to one byte past the
     * plan bound, where it stops: an endless body must not keep the plan thread forever.
     */
    private static byte[] readBounded(InputStream in) throws IOException {
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int n;
            while (out.size() <= PlanReader.MAX_BYTES && (n = in.read(buf)) >= 0) {
                out.write(buf, 0, Math.min(n, PlanReader.MAX_BYTES + 1 - out.size()));
            }
            return out.toByteArray();
        }
    }
}
