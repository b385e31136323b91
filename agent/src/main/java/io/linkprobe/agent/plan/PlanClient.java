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
 * {@code If-None-Match} with its version. The same collector URL, TLS trust
 * ({@code collector.ca_file}) and request timeout as the pushes.
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

    private final URL url;
    private final Supplier<String> token;
    private final SSLSocketFactory tls;
    private final int timeoutMillis;

    /** @param tls the TLS context for an https collector, or null for the JDK's trusted CAs */
    PlanClient(URI collectorUrl, Supplier<String> token, SSLContext tls, Duration timeout) {
        try {
            this.url = collectorUrl.resolve(PATH).toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("collector url " + collectorUrl + " is not a valid URL", e);
        }
        this.token = token;
        this.tls = tls == null ? null : tls.getSocketFactory();
        this.timeoutMillis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    }

    URL url() {
        return url;
    }

    /**
     * @param version the version of the plan the agent runs, sent as {@code If-None-Match}; null for none
     * @throws IOException when there is no answer (the collector unreachable, TLS refused, timeout)
     */
    Answer fetch(String version) throws IOException {
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
