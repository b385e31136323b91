package io.linkprobe.collector.sites;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.fasterxml.jackson.core.JsonGenerator;
import io.linkprobe.collector.archive.HourlyRollup;
import io.linkprobe.collector.archive.Tier;
import io.linkprobe.common.wire.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** The hourly tier's answer to the history API: one object per target and hour, percentiles from its sketches. */
final class RollupJson {
    private static final double[] QUANTILES = {0.5, 0.9, 0.95, 0.99};
    private static final String[] NAMES = {"p50", "p90", "p95", "p99"};

    private RollupJson() {}

    static byte[] body(String site, long from, long to, SiteView summary, List<HourlyRollup> rows, int limit) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024 + rows.size() * 400);
        try (JsonGenerator g = Json.mapper().getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("site", site);
            g.writeStringField("from", SiteRegistry.iso(from));
            g.writeStringField("to", SiteRegistry.iso(to));
            g.writeStringField("tier", Tier.HOURLY.wireName());
            g.writeFieldName("summary");
            Json.mapper().writeValue(g, summary);
            g.writeBooleanField("truncated", rows.size() > limit);
            g.writeArrayFieldStart("rollups");
            for (int i = 0; i < Math.min(limit, rows.size()); i++) {
                rollup(g, rows.get(i));
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void rollup(JsonGenerator g, HourlyRollup r) throws IOException {
        g.writeStartObject();
        g.writeStringField("target", r.target());
        g.writeStringField("hour", SiteRegistry.iso(r.hourMillis()));
        HourlyRollup.Latency l = r.latency();
        if (l != null) {
            g.writeObjectFieldStart("latency");
            g.writeNumberField("windows", l.windows());
            g.writeNumberField("sent", l.sent());
            g.writeNumberField("received", l.received());
            g.writeNumberField("lost_forward", l.lostForward());
            g.writeNumberField("lost_backward", l.lostBackward());
            g.writeNumberField("duplicates", l.duplicates());
            g.writeNumberField("reordered", l.reordered());
            number(g, "rtt_min_micros", l.rttMinMicros());
            quantiles(g, "rtt_", l.rttMicros());
            number(g, "rtt_max_micros", l.rttMaxMicros());
            number(g, "rtt_mean_micros", l.rttMeanMicros());
            number(g, "jitter_mean_micros", l.jitterMeanMicros());
            number(g, "jitter_max_micros", l.jitterMaxMicros());
            g.writeEndObject();
        }
        HourlyRollup.Connect c = r.connect();
        if (c != null) {
            g.writeObjectFieldStart("connect");
            g.writeNumberField("attempts", c.attempts());
            g.writeNumberField("failures", c.failures());
            quantiles(g, "connect_", c.connectMicros());
            g.writeEndObject();
        }
        if (!r.tests().isEmpty()) {
            g.writeFieldName("tests");
            Json.mapper().writeValue(g, r.tests());
        }
        if (!r.video().isEmpty()) {
            g.writeFieldName("video");
            Json.mapper().writeValue(g, r.video());
        }
        g.writeEndObject();
    }

    private static void quantiles(JsonGenerator g, String prefix, DDSketch sketch) throws IOException {
        if (sketch == null || sketch.isEmpty()) {
            return;
        }
        double[] values = sketch.getValuesAtQuantiles(QUANTILES);
        for (int i = 0; i < values.length; i++) {
            g.writeNumberField(prefix + NAMES[i] + "_micros", Math.round(values[i] * 10) / 10.0);
        }
    }

    private static void number(JsonGenerator g, String name, Double v) throws IOException {
        if (v != null) {
            g.writeNumberField(name, Math.round(v * 10) / 10.0);
        }
    }
}
