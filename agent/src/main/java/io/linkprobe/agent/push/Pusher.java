package io.linkprobe.agent.push;

import io.linkprobe.agent.http.CollectorHttp;
import io.linkprobe.common.wire.AgentIdentity;
import io.linkprobe.common.wire.Json;
import io.linkprobe.common.wire.PushAck;
import io.linkprobe.common.wire.PushBatch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves batches from the {@link Outbox} to {@code POST /api/v1/samples}, one at a time, on its own
 * thread.
 *
 * <p>What each answer means here: 200 → the batch is stored, forget it. 400 → the collector can
 * never accept it (a bug on one side): log, drop, count; never retry. 413 → halve the batch and
 * send again; a single sample still too large is dropped and counted. 401/403 → the token is wrong
 * or bound to another site: keep the data, read the token file again (a rotated token is used at
 * once, without a restart) and otherwise retry on the same capped, jittered backoff as any failure,
 * so that a token restored on the collector is used within {@code backoff_max} (an operator acted;
 * making them wait minutes more helps nobody). 429/503 → wait at least Retry-After. Anything else,
 * or no answer → exponential backoff with full jitter, capped at {@code backoff_max}.
 *
 * <p>With several collectors ({@code collector.urls}, sharing one archive) the pusher sends to one
 * at a time, starting with the first, and stays with the one that answers. No answer or a 5xx
 * other than 503 moves it to the next in the list at once, with the batch and the spool as they
 * are; only when every collector has failed in turn does it wait the backoff. A batch that reached
 * a collector which died before answering is sent again to the next one, and the shared archive
 * stores it once (its idempotency key is the agent id and batch sequence, whichever collector
 * receives it).
 *
 * <p>After an outage (at least one failed push), the first accepted push starts a catch-up; when
 * the spool is empty again one line says how long the outage was and what was delivered.
 *
 * <p>HTTP goes through the agent's one client seam, {@link CollectorHttp} (the JDK's
 * {@code HttpURLConnection}, blocking on this thread: no selector or worker threads). With nothing
 * to push the thread sleeps until a result is spooled instead of polling the spool.
 */
public final class Pusher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Pusher.class);
    static final int MAX_BATCH_SAMPLES = 100;
    /** A refused token is logged when refusals start, then at most this often while they last. */
    private static final long REFUSAL_LOG_NANOS = TimeUnit.MINUTES.toNanos(10);
    /** Longest wait for a new result before looking at the spool again (a result wakes it at once). */
    private static final long IDLE_WAIT_MILLIS = 60_000;
    /** Answers are a line of JSON or a reason; more than this is not read. */
    private static final int MAX_ANSWER_BYTES = 64 * 1024;

    /** {@code /api/v1/samples} of every collector, in the order of {@code collector.urls}. */
    private final List<CollectorHttp> endpoints;
    /** The collector pushed to: the one that answered last. Only the pusher thread touches it. */
    private int current;
    /** Collectors that failed one after the other since the last answer; backoff once all have. */
    private int failedInTurn;
    private final AgentToken token;
    /** Replaced when a new plan changes the site's labels or contracted rates. */
    private volatile AgentIdentity identity;
    private final Outbox outbox;
    private final Backoff backoff;
    private final Thread thread;
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong refusedSamples = new AtomicLong();
    private final Outage outage = new Outage();
    private volatile boolean running = true;
    private int batchLimit = MAX_BATCH_SAMPLES;
    private long lastRefusalLogNanos;

    /** @param tls the TLS context for an https collector, or null for the JDK's trusted CAs */
    public Pusher(URI collectorUrl, AgentToken token, AgentIdentity identity, Outbox outbox,
                  Duration requestTimeout, Backoff backoff, SSLContext tls) {
        this(List.of(collectorUrl), token, identity, outbox, requestTimeout, backoff, tls);
    }

    /** @param collectorUrls the collectors in order ({@code collector.urls}), at least one */
    public Pusher(List<URI> collectorUrls, AgentToken token, AgentIdentity identity, Outbox outbox,
                  Duration requestTimeout, Backoff backoff, SSLContext tls) {
        if (collectorUrls.isEmpty()) {
            throw new IllegalArgumentException("no collector url");
        }
        this.endpoints = collectorUrls.stream()
                .map(u -> new CollectorHttp(u, "/api/v1/samples", tls, requestTimeout)).toList();
        this.token = token;
        this.identity = identity;
        this.outbox = outbox;
        this.backoff = backoff;
        this.thread = new Thread(this::loop, "linkprobe-pusher");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Pushes from now on carry {@code newIdentity} (the same agent and boot, new labels or rates). */
    public void identify(AgentIdentity newIdentity) {
        this.identity = newIdentity;
    }

    /** Failed push attempts since start (network errors and non-2xx answers). */
    public long failuresTotal() {
        return failures.get();
    }

    /** Samples the collector refused for good (400, or 413 for a single sample). */
    public long refusedSamplesTotal() {
        return refusedSamples.get();
    }

    private void loop() {
        while (running) {
            try {
                Optional<Outbox.Batch> next = outbox.nextBatch(batchLimit);
                if (next.isEmpty()) {
                    outage.caughtUp(System.nanoTime());
                    outbox.awaitSamples(IDLE_WAIT_MILLIS);
                    continue;
                }
                Duration pause = pushOnce(next.get());
                if (!pause.isZero()) {
                    Thread.sleep(pause.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("Unexpected error while pushing; will retry", e);
                sleepQuietly(backoff.next());
            }
        }
    }

    /** The collector that the next push goes to. */
    URI endpoint() {
        return endpoints.get(current).uri();
    }

    /** Sends one batch and returns how long to wait before the next attempt. */
    Duration pushOnce(Outbox.Batch batch) throws InterruptedException {
        CollectorHttp http = endpoints.get(current);
        URI endpoint = endpoint();
        CollectorHttp.Answer response;
        try {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", "application/json");
            headers.put("Content-Encoding", "gzip");
            headers.put("Authorization", "Bearer " + token.get());
            response = http.post(headers, gzip(encode(batch)), MAX_ANSWER_BYTES);
        } catch (IOException e) {
            failed("no answer");
            return failOver(endpoint, describe(e));
        }
        int status = response.status();
        String body = response.text();
        if (status != 503 && status >= 500) {
            failed("answer " + status);
            return failOver(endpoint, "answered " + status + ": " + firstLine(body));
        }
        failedInTurn = 0; // an answer: this collector is up, whatever it said
        String reason = firstLine(body);
        switch (status) {
            case 200 -> {
                PushAck ack = parseAck(body);
                outbox.remove(batch.sequence());
                backoff.reset();
                outage.delivered(batch.samples().size(), System.nanoTime());
                batchLimit = Math.min(MAX_BATCH_SAMPLES, batchLimit * 2);
                log.debug("Pushed batch {} ({} samples){}", batch.sequence(), batch.samples().size(),
                        ack != null && ack.duplicate() ? " - already stored" : "");
                return Duration.ZERO;
            }
            case 400 -> {
                failures.incrementAndGet();
                refusedSamples.addAndGet(batch.samples().size());
                outbox.remove(batch.sequence());
                log.error("The collector refused batch {} as malformed ({}); its {} results are dropped. "
                        + "Check that agent and collector versions match.", batch.sequence(), reason, batch.samples().size());
                return Duration.ZERO;
            }
            case 413 -> {
                failures.incrementAndGet();
                if (batch.samples().size() == 1) {
                    refusedSamples.incrementAndGet();
                    outbox.remove(batch.sequence());
                    log.error("The collector refused a single result as too large ({}); it is dropped.", reason);
                } else {
                    batchLimit = Math.max(1, batch.samples().size() / 2);
                    outbox.shrink(batch.sequence(), batchLimit);
                }
                return Duration.ZERO;
            }
            case 401, 403 -> {
                failed(status + " token refused");
                if (token.reload()) {
                    return Duration.ZERO; // a rotated token: try it at once
                }
                Duration wait = backoff.next();
                long now = System.nanoTime();
                if (lastRefusalLogNanos == 0 || now - lastRefusalLogNanos >= REFUSAL_LOG_NANOS) {
                    lastRefusalLogNanos = now;
                    log.error("The collector refused this agent's token for site '{}' ({}): check {} and the collector's "
                            + "tokens file; results are kept, the token file is read again at every retry (next in {} s).",
                            identity.site(), reason, token.file() == null ? "the token" : "collector.token_file " + token.file(),
                            wait.toSeconds());
                } else {
                    log.debug("Token still refused ({}); next try in {} ms", reason, wait.toMillis());
                }
                return wait;
            }
            case 429, 503 -> {
                failed(status + " busy");
                Duration asked = retryAfter(response.retryAfter()).orElse(Duration.ofSeconds(5));
                Duration wait = backoff.after(asked);
                log.info("Collector busy ({}): retrying in {} ms", status, wait.toMillis());
                return wait;
            }
            default -> { // 3xx, other 4xx
                failed("answer " + status);
                Duration wait = backoff.next();
                log.warn("Collector answered {} ({}); retrying in {} ms", status, reason, wait.toMillis());
                return wait;
            }
        }
    }

    /**
     * The collector at {@code endpoint} did not answer (or failed): with another one not yet tried
     * in this turn, switch to it and push again at once; when every collector has failed in turn,
     * wait the backoff (on the next one, so the turn starts again).
     */
    private Duration failOver(URI endpoint, String why) {
        int n = endpoints.size();
        current = (current + 1) % n;
        failedInTurn++;
        if (failedInTurn < n) {
            log.warn("Collector {} failed ({}); failing over to {} with {} results kept", endpoint, why,
                    endpoints.get(current).uri(), outbox.pendingSamples());
            return Duration.ZERO;
        }
        failedInTurn = 0;
        Duration wait = backoff.next();
        log.warn(n == 1 ? "Cannot reach the collector at {} ({}); {} results kept, retrying in {} ms"
                        : "No collector answers (the last, {}: {}); {} results kept, retrying in {} ms",
                endpoint, why, outbox.pendingSamples(), wait.toMillis());
        return wait;
    }

    /** A push that the collector did not accept: counted, and part of an outage. */
    private void failed(String why) {
        failures.incrementAndGet();
        outage.failed(why, System.nanoTime());
    }

    private byte[] encode(Outbox.Batch batch) throws IOException {
        return Json.mapper().writeValueAsBytes(new PushBatch(identity, batch.sequence(), batch.samples()));
    }

    private static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 4 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        }
        return out.toByteArray();
    }

    private static PushAck parseAck(String body) {
        try {
            return Json.mapper().readValue(body, PushAck.class);
        } catch (IOException e) {
            return null;
        }
    }

    static Optional<Duration> retryAfter(String header) {
        if (header == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(header.trim()))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String firstLine(String body) {
        if (body == null || body.isBlank()) {
            return "no reason given";
        }
        String line = body.strip().lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        String text = e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
        if (e instanceof javax.net.ssl.SSLHandshakeException && m != null && m.contains("PKIX")) {
            return text + "; the collector's certificate is not from a trusted CA: put its CA certificate (PEM) "
                    + "in a file and name it in collector.ca_file";
        }
        return text;
    }

    private static void sleepQuietly(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
