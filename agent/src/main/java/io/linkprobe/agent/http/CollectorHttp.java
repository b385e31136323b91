package io.linkprobe.agent.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;

/**
 * The agent's one HTTP client seam: every request the agent makes to its collector (the pusher's
 * {@code POST /api/v1/samples}, the plan keeper's {@code GET /api/v1/plan}) goes through here, with
 * the same TLS trust ({@code collector.ca_file}) and request timeout.
 *
 * <p>HTTP is the JDK's {@link HttpURLConnection}, blocking on the caller's thread: a push a minute
 * and a plan GET every few minutes need no more, and unlike {@code java.net.http.HttpClient} it
 * starts no selector or worker threads and, for an {@code http://} collector, loads no TLS classes
 * (about 700 classes and 4 threads fewer in a process whose footprint on a gateway matters). An
 * answer is read to its end (up to the caller's bound), so the JDK keeps the connection alive for
 * the next request.
 */
public final class CollectorHttp {
    /** An answer: its status, its body (at most the caller's bound), and {@code Retry-After} if any. */
    public record Answer(int status, byte[] body, String retryAfter) {
        /** The body as UTF-8 text. */
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final URI uri;
    private final URL url;
    private final SSLSocketFactory tls;
    private final int timeoutMillis;

    /**
     * @param collectorUrl the collector's base URL, {@code path} resolved against it
     * @param tls the TLS context for an https collector, or null for the JDK's trusted CAs
     */
    public CollectorHttp(URI collectorUrl, String path, SSLContext tls, Duration timeout) {
        try {
            this.uri = collectorUrl.resolve(path);
            this.url = uri.toURL();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("collector url " + collectorUrl + " is not a valid URL", e);
        }
        this.tls = tls == null ? null : tls.getSocketFactory();
        this.timeoutMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
    }

    public URI uri() {
        return uri;
    }

    public URL url() {
        return url;
    }

    /** {@code GET}, reading at most {@code maxBody} + 1 bytes of the answer (so an over-long one shows). */
    public Answer get(Map<String, String> headers, int maxBody) throws IOException {
        return exchange("GET", headers, null, maxBody);
    }

    /** {@code POST} of {@code body}, reading at most {@code maxBody} + 1 bytes of the answer. */
    public Answer post(Map<String, String> headers, byte[] body, int maxBody) throws IOException {
        return exchange("POST", headers, body, maxBody);
    }

    /**
     * One request. A POST is not in streaming mode: with a fixed-length stream the JDK turns a 401
     * into an exception instead of an answer.
     *
     * @throws IOException when there is no answer (the collector unreachable, TLS refused, timeout);
     *     an {@link IllegalArgumentException} when a header value cannot be sent (a line break)
     */
    private Answer exchange(String method, Map<String, String> headers, byte[] body, int maxBody)
            throws IOException {
        HttpURLConnection c = (HttpURLConnection) url.openConnection();
        try {
            if (tls != null && c instanceof HttpsURLConnection https) {
                https.setSSLSocketFactory(tls);
            }
            c.setConnectTimeout(timeoutMillis);
            c.setReadTimeout(timeoutMillis);
            c.setUseCaches(false);
            c.setInstanceFollowRedirects(false);
            c.setRequestMethod(method);
            headers.forEach(c::setRequestProperty);
            if (body != null) {
                c.setDoOutput(true);
                try (OutputStream out = c.getOutputStream()) {
                    out.write(body);
                }
            }
            int status = c.getResponseCode();
            InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream();
            byte[] answer = in == null ? new byte[0] : readBounded(in, maxBody);
            return new Answer(status, answer, c.getHeaderField("Retry-After"));
        } catch (IOException | RuntimeException e) {
            c.disconnect();
            throw e;
        }
    }

    /**
     * Reads the answer to its end (so the connection can be reused), or up to one byte past the
     * bound, where it stops: an endless body must not keep the caller's thread forever.
     */
    private static byte[] readBounded(InputStream in, int max) throws IOException {
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int n;
            while (out.size() <= max && (n = in.read(buf)) >= 0) {
                out.write(buf, 0, Math.min(n, max + 1 - out.size()));
            }
            return out.toByteArray();
        }
    }
}
