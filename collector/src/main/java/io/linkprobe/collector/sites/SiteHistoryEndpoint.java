package io.linkprobe.collector.sites;

import com.fasterxml.jackson.core.JsonGenerator;
import io.linkprobe.collector.archive.Archive;
import io.linkprobe.collector.archive.ArchiveException;
import io.linkprobe.collector.archive.StoredSample;
import io.linkprobe.collector.archive.Tier;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.linkprobe.common.wire.Sample;
import io.linkprobe.collector.http.Endpoint;
import io.linkprobe.collector.http.Reply;
import io.linkprobe.collector.http.Request;
import io.linkprobe.common.wire.Json;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * {@code GET /api/v1/sites/{site}?from=&to=&limit=&tier=}: the site's stored results between two
 * times, oldest first, from the archive tier that covers the range, and saying which: {@code raw}
 * (each result as it was pushed, while {@code from} is within {@code archive.raw_retention}) or
 * {@code hourly} (one rollup per target and hour; older ranges). {@code tier=raw|hourly} chooses
 * one. Times are RFC 3339 or Unix seconds, as in Prometheus' API; by default the last 24 h. Reads
 * the archive on a worker, not on the event loop.
 *
 * <pre>
 * {"site": "...", "from": "...", "to": "...", "tier": "raw", "summary": {...SiteView...},
 *  "truncated": false, "samples": [{"type": "latency", ...}, ...]}
 * {"site": "...", "from": "...", "to": "...", "tier": "hourly", "summary": {...},
 *  "truncated": false, "rollups": [{"target": "hub", "hour": "...", "latency": {...}, "connect": {...},
 *  "tests": [...]}, ...]}
 * </pre>
 */
public final class SiteHistoryEndpoint implements Endpoint {
    public static final String PREFIX = "/api/v1/sites/";
    static final Duration DEFAULT_SPAN = Duration.ofHours(24);
    static final int DEFAULT_LIMIT = 10_000;
    static final int MAX_LIMIT = 100_000;

    private static final ObjectWriter SAMPLE = Json.mapper().writerFor(Sample.class);

    private final SiteRegistry sites;
    private final Archive archive;
    private final Clock clock;
    private final Executor readers;

    public SiteHistoryEndpoint(SiteRegistry sites, Archive archive, Clock clock, Executor readers) {
        this.sites = sites;
        this.archive = archive;
        this.clock = clock;
        this.readers = readers;
    }

    @Override
    public CompletionStage<Reply> handle(Request request) {
        String site = request.path().substring(PREFIX.length());
        long now = clock.millis();
        Optional<SiteView> summary = sites.view(site, now);
        if (summary.isEmpty()) {
            return done(Reply.text(HttpResponseStatus.NOT_FOUND, "no site '" + site + "' is known to this collector"));
        }
        long to;
        long from;
        int limit;
        Tier tier;
        try {
            to = time("to", request.param("to"), now);
            from = time("from", request.param("from"), to - DEFAULT_SPAN.toMillis());
            limit = limit(request.param("limit"));
            tier = tier(request.param("tier"), archive.tierFor(from, now));
        } catch (IllegalArgumentException e) {
            return done(Reply.text(HttpResponseStatus.BAD_REQUEST, e.getMessage()));
        }
        if (from >= to) {
            return done(Reply.text(HttpResponseStatus.BAD_REQUEST, "'from' must be before 'to'"));
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                byte[] body = tier == Tier.RAW
                        ? body(site, from, to, summary.get(), archive.history(site, from, to, limit + 1), limit)
                        : RollupJson.body(site, from, to, summary.get(), archive.rollups(site, from, to), limit);
                return Reply.of(HttpResponseStatus.OK, Reply.JSON, body);
            } catch (ArchiveException e) {
                return Reply.text(HttpResponseStatus.SERVICE_UNAVAILABLE, e.getMessage());
            }
        }, readers);
    }

    private static byte[] body(String site, long from, long to, SiteView summary, List<StoredSample> rows, int limit) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024 + rows.size() * 512);
        try (JsonGenerator g = Json.mapper().getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("site", site);
            g.writeStringField("from", SiteRegistry.iso(from));
            g.writeStringField("to", SiteRegistry.iso(to));
            g.writeStringField("tier", Tier.RAW.wireName());
            g.writeFieldName("summary");
            Json.mapper().writeValue(g, summary);
            g.writeBooleanField("truncated", rows.size() > limit);
            g.writeArrayFieldStart("samples");
            for (int i = 0; i < Math.min(limit, rows.size()); i++) {
                SAMPLE.writeValue(g, rows.get(i).sample());
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static long time(String name, String value, long fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return new BigDecimal(value).movePointRight(3).setScale(0, RoundingMode.HALF_UP).longValueExact();
        } catch (NumberFormatException | ArithmeticException notSeconds) {
            try {
                return OffsetDateTime.parse(value).toInstant().toEpochMilli();
            } catch (DateTimeParseException notRfc3339) {
                throw new IllegalArgumentException("'" + name + "' must be an RFC 3339 time such as "
                        + "2025-01-31T12:00:00Z or Unix seconds, not '" + value + "'");
            }
        }
    }

    static Tier tier(String value, Tier fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        for (Tier t : Tier.values()) {
            if (t.wireName().equals(value)) {
                return t;
            }
        }
        throw new IllegalArgumentException("'tier' must be raw or hourly, not '" + value + "'");
    }

    static int limit(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new IllegalArgumentException("'limit' must be a whole number from 1 to " + MAX_LIMIT);
    }

    private static CompletionStage<Reply> done(Reply reply) {
        return CompletableFuture.completedFuture(reply);
    }
}
