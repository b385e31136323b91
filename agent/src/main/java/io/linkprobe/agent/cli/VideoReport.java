package io.linkprobe.agent.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linkprobe.common.net.Dscp;
import io.linkprobe.common.wire.VideoResult;
import java.util.Locale;

/**
 * What {@code agent test --video} prints: the {@code video} object of the JSON (keys documented in
 * the README) or a short human summary, in the units people read (ms, kbit/s, %).
 */
final class VideoReport {
    private VideoReport() {}

    static ObjectNode json(VideoResult r) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("result", r.result());
        if (r.message() != null) {
            o.put("message", r.message());
        }
        o.put("verdict", r.verdict()); // null → JSON null when the test did not run
        o.put("reason", r.reason());
        ArrayNode failed = o.putArray("failed");
        r.failed().forEach(failed::add);
        o.put("calls", r.calls());
        o.put("calls_limit", r.callsLimit());
        if (r.mos() == null) {
            o.putNull("mos");
        } else {
            o.put("mos", round(r.mos(), 2));
        }
        o.put("rate_kbps", r.rateKbps());
        o.put("packet_size", r.packetSize());
        o.put("dscp", r.dscp());
        o.put("dscp_name", Dscp.name(r.dscp()));
        o.put("reply_dscp", r.replyDscp()); // null → JSON null where the socket cannot read it
        o.put("timestamps", r.timestamps());
        o.put("seconds", round(r.seconds(), 3));
        ObjectNode rtt = o.putObject("rtt_ms");
        putMillis(rtt, "p50", r.rttP50Micros());
        putMillis(rtt, "p95", r.rttP95Micros());
        if (r.up() != null) {
            o.set("up", direction(r.up()));
            o.set("down", direction(r.down()));
        } else {
            o.putNull("up");
            o.putNull("down");
        }
        o.put("bytes", r.bytes());
        o.put("start_epoch_ms", r.startEpochMillis());
        o.put("end_epoch_ms", r.endEpochMillis());
        ArrayNode ladder = o.putArray("ladder");
        for (VideoResult.Step s : r.ladder()) {
            ObjectNode step = ladder.addObject();
            step.put("calls", s.calls());
            step.put("verdict", s.verdict());
            ArrayNode sf = step.putArray("failed");
            s.failed().forEach(sf::add);
            step.put("seconds", round(s.seconds(), 3));
            step.put("mos", round(s.mos(), 2));
            step.put("worst_loss_percent", round(s.lossPercent(), 3));
            step.put("worst_jitter_ms", ms(s.jitterMicros()));
            putMillis(step, "worst_rtt_p95_ms", s.rttP95Micros());
            step.put("bytes", s.bytes());
        }
        return o;
    }

    private static ObjectNode direction(VideoResult.Direction d) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("packets", d.packets());
        o.put("lost", d.lost());
        o.put("loss_percent", round(d.lossPercent(), 3));
        o.put("longest_burst", d.longestBurst());
        o.put("late", d.late());
        o.put("burst_ratio", round(d.burstRatio(), 3));
        o.put("jitter_ms", ms(d.jitterMicros()));
        o.put("delay_variation_ms", ms(d.delayVariationMicros()));
        o.put("reordered", d.reordered());
        o.put("delivered_kbps", round(d.deliveredBytesPerSecond() * 8 / 1e3, 1));
        o.put("mos", round(d.mos(), 2));
        return o;
    }

    static String human(String target, VideoResult r) {
        StringBuilder sb = new StringBuilder();
        sb.append("linkprobe video test to ").append(target).append('\n');
        if (!VideoResult.Outcome.OK.wireName().equals(r.result())) {
            sb.append("  ").append(r.result()).append(": ").append(r.message()).append('\n');
            return sb.toString();
        }
        sb.append(String.format(Locale.ROOT, "  one call   %s, MOS %.2f   (%d kbit/s each way in %d-byte packets for %.0f s, DSCP %s%s; %s timestamps)%n",
                r.verdict(), r.mos(), r.rateKbps(), r.packetSize(), r.seconds(), Dscp.name(r.dscp()),
                r.replyDscp() == null ? "" : ", replies arrived " + Dscp.name(r.replyDscp()), r.timestamps()));
        if (r.reason() != null) {
            sb.append("             ").append(r.reason()).append('\n');
        }
        line(sb, "up  ", r.up());
        line(sb, "down", r.down());
        sb.append(String.format(Locale.ROOT, "             rtt  p50 %.1f ms  p95 %.1f ms%n", r.rttP50Micros() / 1e3,
                r.rttP95Micros() / 1e3));
        sb.append("  ladder    ");
        for (VideoResult.Step s : r.ladder()) {
            sb.append(String.format(Locale.ROOT, " %d: %s", s.calls(), s.verdict()));
        }
        sb.append('\n');
        sb.append(String.format(Locale.ROOT, "  carries    %d concurrent video call%s (ladder stopped by %s), %.1f MB moved%n",
                r.calls(), r.calls() == 1 ? "" : "s", r.callsLimit(), r.bytes() / 1e6));
        return sb.toString();
    }

    private static void line(StringBuilder sb, String name, VideoResult.Direction d) {
        sb.append(String.format(Locale.ROOT,
                "             %s loss %.2f %% (%d of %d, longest burst %d)  jitter %.2f ms  delay variation %.2f ms  "
                        + "reordered %d%n", name, d.lossPercent(), d.lost(), d.packets(), d.longestBurst(),
                d.jitterMicros() / 1e3, d.delayVariationMicros() / 1e3, d.reordered()));
    }

    private static void putMillis(ObjectNode o, String key, Double micros) {
        if (micros == null) {
            o.putNull(key);
        } else {
            o.put(key, ms(micros));
        }
    }

    private static double ms(double micros) {
        return round(micros / 1000.0, 3);
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
