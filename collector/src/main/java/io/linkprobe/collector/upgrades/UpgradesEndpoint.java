package io.linkprobe.collector.upgrades;

import com.fasterxml.jackson.databind.JsonNode;
import io.linkprobe.collector.archive.ArchiveException;
import io.linkprobe.collector.http.Endpoint;
import io.linkprobe.collector.http.Reply;
import io.linkprobe.collector.http.Request;
import io.linkprobe.common.wire.Json;
import io.netty.buffer.ByteBufInputStream;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * {@code GET /api/v1/upgrades?region=}: every upgraded site's cut-over, before/after figures and
 * verdict, as JSON, or as CSV for a spreadsheet when asked with {@code Accept: text/csv}; and
 * {@code POST /api/v1/sites/{site}/upgrade} with {@code {"at": RFC 3339, "link": "...",
 * "down_mbps": n, "up_mbps": n}}: records a cut-over by hand. Recording is for operators: it is
 * taken only from the collector's own host (as {@code /-/reload}), e.g. over ssh.
 */
public final class UpgradesEndpoint {
    public static final String PATH = "/api/v1/upgrades";
    public static final String SITES_PREFIX = "/api/v1/sites/";
    static final String CSV = "text/csv; charset=utf-8";

    private final Upgrades upgrades;
    private final Executor readers;

    public UpgradesEndpoint(Upgrades upgrades, Executor readers) {
        this.upgrades = upgrades;
        this.readers = readers;
    }

    public Endpoint list() {
        return request -> CompletableFuture.supplyAsync(() -> {
            try {
                List<SiteUpgrade> rows = upgrades.verdicts(request.param("region"));
                String accept = request.headers().get(HttpHeaderNames.ACCEPT);
                if (accept != null && accept.contains("text/csv")) {
                    return Reply.of(HttpResponseStatus.OK, CSV, csv(rows).getBytes(StandardCharsets.UTF_8));
                }
                return Reply.json(HttpResponseStatus.OK, Map.of("upgrades", json(rows)));
            } catch (ArchiveException e) {
                return Reply.text(HttpResponseStatus.SERVICE_UNAVAILABLE, e.getMessage());
            }
        }, readers);
    }

    /** The POST on {@code /api/v1/sites/{site}/upgrade}; anything else under the prefix is 404. */
    public Endpoint record() {
        return this::record;
    }

    private CompletionStage<Reply> record(Request request) {
        String rest = request.path().substring(SITES_PREFIX.length());
        if (!rest.endsWith("/upgrade") || rest.length() == "/upgrade".length()) {
            return done(Reply.text(HttpResponseStatus.NOT_FOUND, "no such resource: " + request.path()
                    + "; record a cut-over with POST /api/v1/sites/{site}/upgrade"));
        }
        if (!request.fromLoopback()) {
            return done(Reply.text(HttpResponseStatus.FORBIDDEN, "cut-overs are recorded only from the collector's"
                    + " own host; run the request there (e.g. over ssh)"));
        }
        String site = rest.substring(0, rest.length() - "/upgrade".length());
        CutOver cut;
        try {
            cut = parse(site, Json.mapper().readTree(new ByteBufInputStream(request.body().duplicate())));
        } catch (IOException | IllegalArgumentException e) {
            return done(Reply.text(HttpResponseStatus.BAD_REQUEST, "cannot read the cut-over: " + e.getMessage()
                    + "; send {\"at\": \"2026-03-01T00:00:00Z\", \"link\": \"fibre\", \"down_mbps\": 80,"
                    + " \"up_mbps\": 20}"));
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                upgrades.store().record(cut);
                return Reply.json(HttpResponseStatus.CREATED, Map.of("site", cut.site(),
                        "at", Instant.ofEpochMilli(cut.atMillis()).toString(), "link", cut.link(),
                        "down_mbps", cut.downMbps(), "up_mbps", cut.upMbps()));
            } catch (ArchiveException e) {
                return Reply.text(HttpResponseStatus.SERVICE_UNAVAILABLE, e.getMessage());
            }
        }, readers);
    }

    static CutOver parse(String site, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new IllegalArgumentException("the body is not a JSON object");
        }
        JsonNode at = body.get("at");
        if (at == null || !at.isTextual()) {
            throw new IllegalArgumentException("'at' (RFC 3339 time of the cut-over) is missing");
        }
        long atMillis;
        try {
            atMillis = OffsetDateTime.parse(at.asText()).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'at' is not an RFC 3339 time: " + at.asText());
        }
        double down = rate(body, "down_mbps");
        double up = rate(body, "up_mbps");
        JsonNode link = body.get("link");
        return new CutOver(site, atMillis, link == null ? "" : link.asText(), down, up, CutOver.Source.MANUAL);
    }

    private static double rate(JsonNode body, String name) {
        JsonNode n = body.get(name);
        if (n == null || !n.isNumber() || n.asDouble() <= 0) {
            throw new IllegalArgumentException("'" + name + "' (the new contracted rate in Mbit/s, above 0) is missing");
        }
        return n.asDouble();
    }

    static List<Map<String, Object>> json(List<SiteUpgrade> rows) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (SiteUpgrade u : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("site", u.site());
            m.put("region", u.region());
            m.put("link", u.cutOver().link());
            m.put("cut_over", Instant.ofEpochMilli(u.cutOver().atMillis()).toString());
            m.put("source", u.cutOver().source().wireName());
            m.put("contract_down_mbps", u.cutOver().downMbps());
            m.put("contract_up_mbps", u.cutOver().upMbps());
            m.put("before", figures(u.before(), u.beforeFromMillis(), u.cutOver().atMillis()));
            m.put("after", figures(u.after(), u.afterFromMillis(), u.afterToMillis()));
            m.put("verdict", u.verdict().outcome().wireName());
            m.put("reasons", u.verdict().reasons());
            out.add(m);
        }
        return out;
    }

    private static Map<String, Object> figures(Figures f, long from, long to) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("from", Instant.ofEpochMilli(from).toString());
        m.put("to", Instant.ofEpochMilli(to).toString());
        m.put("down_tests", f.downTests());
        m.put("up_tests", f.upTests());
        m.put("down_median_mbps", finite(f.downMedianMbps()));
        m.put("down_p10_mbps", finite(f.downP10Mbps()));
        m.put("up_median_mbps", finite(f.upMedianMbps()));
        m.put("up_p10_mbps", finite(f.upP10Mbps()));
        m.put("latency_windows", f.windows());
        m.put("rtt_p50_ms", finite(f.rttP50Ms()));
        m.put("rtt_p95_ms", finite(f.rttP95Ms()));
        m.put("loss_up", finite(f.lossUp()));
        m.put("loss_down", finite(f.lossDown()));
        m.put("bufferbloat_grade", f.grade());
        m.put("video", f.video());
        return m;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    static String csv(List<SiteUpgrade> rows) {
        StringBuilder b = new StringBuilder("site,region,link,cut_over,contract_down_mbps,contract_up_mbps,verdict,"
                + "before_tests,before_down_median_mbps,before_up_median_mbps,before_rtt_p95_ms,before_loss_up,"
                + "before_loss_down,after_tests,after_down_median_mbps,after_down_p10_mbps,after_up_median_mbps,"
                + "after_up_p10_mbps,after_rtt_p50_ms,after_rtt_p95_ms,after_loss_up,after_loss_down,after_grade\n");
        for (SiteUpgrade u : rows) {
            Figures a = u.after();
            Figures p = u.before();
            b.append(cell(u.site())).append(',').append(cell(u.region())).append(',').append(cell(u.cutOver().link()))
                    .append(',').append(Instant.ofEpochMilli(u.cutOver().atMillis())).append(',')
                    .append(num(u.cutOver().downMbps())).append(',').append(num(u.cutOver().upMbps())).append(',')
                    .append(u.verdict().outcome().wireName()).append(',')
                    .append(p.tests()).append(',').append(num(p.downMedianMbps())).append(',')
                    .append(num(p.upMedianMbps())).append(',').append(num(p.rttP95Ms())).append(',')
                    .append(num(p.lossUp())).append(',').append(num(p.lossDown())).append(',')
                    .append(a.tests()).append(',').append(num(a.downMedianMbps())).append(',')
                    .append(num(a.downP10Mbps())).append(',').append(num(a.upMedianMbps())).append(',')
                    .append(num(a.upP10Mbps())).append(',').append(num(a.rttP50Ms())).append(',')
                    .append(num(a.rttP95Ms())).append(',').append(num(a.lossUp())).append(',')
                    .append(num(a.lossDown())).append(',').append(cell(a.grade())).append('\n');
        }
        return b.toString();
    }

    /** Whole numbers as such (a contract of 80 Mbit/s reads 80), others to 4 significant digits; empty when not measured. */
    private static String num(double v) {
        if (!Double.isFinite(v)) {
            return "";
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.4g", v);
    }

    /** A CSV cell, quoted when it holds a comma, quote or line break. */
    static String cell(String s) {
        if (s == null) {
            return "";
        }
        return s.matches(".*[,\"\\r\\n].*") ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }

    private static CompletionStage<Reply> done(Reply reply) {
        return CompletableFuture.completedFuture(reply);
    }
}
