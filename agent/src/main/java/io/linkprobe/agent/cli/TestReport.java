package io.linkprobe.agent.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linkprobe.common.wire.LatencyWindow;
import io.linkprobe.common.wire.ThroughputResult;
import java.util.List;
import java.util.Locale;

/**
 * What {@code agent test} prints: one JSON object (stable keys, documented in README) or a short
 * human summary. Values are converted here from the wire model's base units (µs, bytes/s) to the
 * units people read (ms, bit/s).
 */
final class TestReport {
    private final String target;
    private final LatencyWindow latency;
    private final List<ThroughputResult> throughput;
    private final StampDiagnostics stamp;
    private final boolean rawRtts;

    TestReport(String target, LatencyWindow latency, List<ThroughputResult> throughput) {
        this(target, latency, throughput, null, false);
    }

    /**
     * @param stamp how the latency figures were taken, or null
     * @param rawRtts put every RTT (µs, in order of sending) in the JSON as {@code latency.rtt_us}
     */
    TestReport(String target, LatencyWindow latency, List<ThroughputResult> throughput, StampDiagnostics stamp,
            boolean rawRtts) {
        this.target = target;
        this.latency = latency;
        this.throughput = throughput;
        this.stamp = stamp;
        this.rawRtts = rawRtts;
    }

    ObjectNode json() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("target", target);
        if (latency != null) {
            ObjectNode l = latencyJson(latency);
            if (stamp != null) {
                l.put("timestamps", stamp.source());
                if (stamp.userReason() != null) {
                    l.put("timestamps_note", stamp.userReason());
                }
                l.put("rtts_kernel", stamp.kernelRtts());
                l.put("rtts_user", stamp.userRtts());
                l.put("replies_too_short", stamp.repliesTooShort());
                l.put("replies_malformed", stamp.repliesMalformed());
            }
            if (rawRtts) {
                var list = l.putArray("rtt_us");
                for (int us : latency.rttMicros()) {
                    list.add(us);
                }
            }
            root.set("latency", l);
        }
        for (ThroughputResult r : throughput) {
            root.set(r.direction().equals("down") ? "download" : "upload", throughputJson(r));
        }
        return root;
    }

    static ObjectNode latencyJson(LatencyWindow w) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("sent", w.sent());
        o.put("received", w.received());
        o.put("lost_up", w.lostForward());
        o.put("lost_down", w.lostBackward());
        o.put("loss_percent", w.sent() == 0 ? 0.0 : round(100.0 * w.lost() / w.sent(), 3));
        o.put("duplicates", w.duplicates());
        o.put("reordered", w.reordered());
        if (w.rtt() != null) {
            ObjectNode rtt = o.putObject("rtt_ms");
            rtt.put("min", ms(w.rtt().min()));
            rtt.put("p50", ms(w.rtt().p50()));
            rtt.put("p90", ms(w.rtt().p90()));
            rtt.put("p99", ms(w.rtt().p99()));
            rtt.put("max", ms(w.rtt().max()));
            rtt.put("mean", ms(w.rtt().mean()));
            o.put("jitter_ms", ms(w.jitterMicros()));
        } else {
            o.putNull("rtt_ms");
            o.putNull("jitter_ms");
        }
        return o;
    }

    static ObjectNode throughputJson(ThroughputResult r) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("result", r.result());
        if (r.message() != null) {
            o.put("message", r.message());
        }
        o.put("bits_per_second", Math.round(r.steadyBytesPerSecond() * 8));
        o.put("mean_bits_per_second", Math.round(r.meanBytesPerSecond() * 8));
        o.put("bytes", r.bytes());
        o.put("seconds", round(r.seconds(), 3));
        o.put("stable", r.stable());
        o.put("streams", r.streams());
        o.put("start_epoch_ms", r.startEpochMillis());
        o.put("end_epoch_ms", r.endEpochMillis());
        if (r.tcp() != null) {
            o.put("retransmits", r.tcp().retransmits());
            if (r.tcp().minRttMicros() != null) {
                o.put("tcp_min_rtt_ms", ms(r.tcp().minRttMicros()));
            }
            o.put("congestion_control", r.tcp().congestionControl()); // null → JSON null
        } else {
            o.putNull("retransmits");
            o.putNull("congestion_control");
        }
        ThroughputResult.LoadedLatency l = r.loaded();
        if (l != null) {
            ObjectNode loaded = o.putObject("loaded_rtt_ms");
            loaded.put("p50", ms(l.loadedRttP50Micros()));
            loaded.put("p90", ms(l.loadedRttP90Micros()));
            o.put("idle_rtt_ms", ms(l.idleRttP50Micros()));
            o.put("bufferbloat_ms", ms(l.bufferbloatMicros()));
            o.put("rpm", Math.round(l.rpm()));
            o.put("grade", l.grade());
        } else {
            o.putNull("loaded_rtt_ms");
            o.putNull("idle_rtt_ms");
            o.putNull("bufferbloat_ms");
            o.putNull("rpm");
            o.putNull("grade");
        }
        o.put("interval_ms", r.intervalMillis());
        var series = o.putArray("interval_bits_per_second");
        for (long bytes : r.intervalBytes()) {
            series.add(Math.round(bytes * 8 * 1000.0 / Math.max(1, r.intervalMillis())));
        }
        return o;
    }

    String human() {
        StringBuilder sb = new StringBuilder();
        sb.append("linkprobe test to ").append(target).append('\n');
        if (latency != null) {
            LatencyWindow w = latency;
            sb.append(String.format(Locale.ROOT, "  latency   %d sent, %d received, lost %d up / %d down (%.2f %%)%n",
                    w.sent(), w.received(), w.lostForward(), w.lostBackward(),
                    w.sent() == 0 ? 0.0 : 100.0 * w.lost() / w.sent()));
            if (w.rtt() != null) {
                sb.append(String.format(Locale.ROOT,
                        "  rtt       min %.2f  p50 %.2f  p90 %.2f  p99 %.2f  max %.2f ms   jitter %.2f ms%n",
                        w.rtt().min() / 1e3, w.rtt().p50() / 1e3, w.rtt().p90() / 1e3, w.rtt().p99() / 1e3,
                        w.rtt().max() / 1e3, w.jitterMicros() / 1e3));
            }
            if (stamp != null) {
                sb.append("  timestamps ").append(stamp.timestamps());
                if (stamp.unusableReplies() > 0) {
                    sb.append(String.format(Locale.ROOT, "; %d replies were not STAMP (%d too short, %d malformed)",
                            stamp.unusableReplies(), stamp.repliesTooShort(), stamp.repliesMalformed()));
                }
                sb.append('\n');
            }
        }
        for (ThroughputResult r : throughput) {
            String name = r.direction().equals("down") ? "download" : "upload  ";
            if (!r.result().equals("ok")) {
                sb.append("  ").append(name).append("  ").append(r.result()).append(": ").append(r.message()).append('\n');
                continue;
            }
            String sender = r.tcp() == null || r.tcp().congestionControl() == null ? ""
                    : ", sender " + r.tcp().congestionControl();
            sb.append(String.format(Locale.ROOT, "  %s  %s steady (%s mean), %s in %.1f s%s%s%n", name,
                    rate(r.steadyBytesPerSecond()), rate(r.meanBytesPerSecond()), bytes(r.bytes()), r.seconds(),
                    r.stable() ? ", stable" : ", not stable", sender));
            if (r.loaded() != null) {
                ThroughputResult.LoadedLatency l = r.loaded();
                sb.append(String.format(Locale.ROOT,
                        "            loaded rtt p50 %.1f / p90 %.1f ms (idle %.1f ms): bufferbloat %+.1f ms, %d RPM, grade %s%n",
                        l.loadedRttP50Micros() / 1e3, l.loadedRttP90Micros() / 1e3, l.idleRttP50Micros() / 1e3,
                        l.bufferbloatMicros() / 1e3, Math.round(l.rpm()), l.grade()));
            }
        }
        return sb.toString();
    }

    static String rate(double bytesPerSecond) {
        double bits = bytesPerSecond * 8;
        if (bits >= 1e9) {
            return String.format(Locale.ROOT, "%.2f Gbit/s", bits / 1e9);
        }
        if (bits >= 1e6) {
            return String.format(Locale.ROOT, "%.2f Mbit/s", bits / 1e6);
        }
        return String.format(Locale.ROOT, "%.1f kbit/s", bits / 1e3);
    }

    private static String bytes(long b) {
        if (b >= 1L << 30) {
            return String.format(Locale.ROOT, "%.2f GiB", b / (double) (1L << 30));
        }
        return String.format(Locale.ROOT, "%.1f MiB", b / (double) (1L << 20));
    }

    private static double ms(double micros) {
        return round(micros / 1000.0, 3);
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
