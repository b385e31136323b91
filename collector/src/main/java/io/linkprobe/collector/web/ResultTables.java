package io.linkprobe.collector.web;

import io.linkprobe.collector.sites.SiteView;
import io.linkprobe.common.wire.ConnectResult;
import io.linkprobe.common.wire.LatencyWindow;
import io.linkprobe.common.wire.ThroughputResult;
import java.util.List;

/** The tables of a site's page: latest and recent latency windows, throughput tests, connects. */
final class ResultTables {
    private ResultTables() {}

    static void latest(StringBuilder out, List<SiteView.Latency> latest) {
        if (latest.isEmpty()) {
            out.append("<p class=\"small\">No latency window yet.</p>\n");
            return;
        }
        out.append("<table><thead><tr><th>Target</th><th>Window end</th><th>Sent</th><th>Received</th>")
                .append("<th>Loss up</th><th>Loss down</th><th>RTT min</th><th>p50</th><th>p99</th><th>Jitter</th>")
                .append("</tr></thead><tbody>\n");
        for (SiteView.Latency l : latest) {
            out.append("<tr><td class=\"name\">").append(Html.escape(l.target())).append("</td><td class=\"time\">").append(Format.utc(l.endEpochMillis()))
                    .append("</td><td class=\"num\">").append(l.sent()).append("</td><td class=\"num\">").append(l.received())
                    .append(lossCells(l.sent(), l.received(), l.lostUp(), l.lostDown()))
                    .append("</td><td class=\"num\">").append(Format.millis(l.rttMinSeconds()))
                    .append("</td><td class=\"num\">").append(Format.millis(l.rttP50Seconds()))
                    .append("</td><td class=\"num\">").append(Format.millis(l.rttP99Seconds()))
                    .append("</td><td class=\"num\">").append(Format.millis(l.jitterSeconds())).append("</td></tr>\n");
        }
        out.append("</tbody></table>\n");
    }

    /**
     * The two loss cells (up, down), or one "no reply" across both when nothing came back: with
     * no reply the reflector's counter is unknown, so every loss would count as "up", which reads
     * as a fault of the site's upstream when the target (or the whole path) is simply not answering.
     */
    static String lossCells(long sent, long received, long lostUp, long lostDown) {
        if (sent > 0 && received == 0) {
            return "</td><td class=\"bad\" colspan=\"2\">no reply";
        }
        return "</td><td class=\"num\">" + loss(lostUp, sent) + "</td><td class=\"num\">" + loss(lostDown, sent);
    }

    static void recent(StringBuilder out, List<LatencyWindow> windows) {
        if (windows.isEmpty()) {
            out.append("<p class=\"small\">No latency window in the last 24 h.</p>\n");
            return;
        }
        out.append("<table><thead><tr><th>Window end</th><th>Target</th><th>Sent</th><th>Loss up</th>")
                .append("<th>Loss down</th><th>Dup</th><th>Reord</th><th>RTT p50</th><th>p90</th><th>p99</th>")
                .append("<th>Jitter</th></tr></thead><tbody>\n");
        for (LatencyWindow w : windows) {
            LatencyWindow.RttSummary r = w.rtt();
            out.append("<tr><td class=\"time\">").append(Format.utc(w.endEpochMillis())).append("</td><td class=\"name\">").append(Html.escape(w.target()))
                    .append("</td><td class=\"num\">").append(w.sent())
                    .append(lossCells(w.sent(), w.received(), w.lostForward(), w.lostBackward()))
                    .append("</td><td class=\"num\">").append(w.duplicates())
                    .append("</td><td class=\"num\">").append(w.reordered())
                    .append("</td><td class=\"num\">").append(micros(r == null ? null : r.p50()))
                    .append("</td><td class=\"num\">").append(micros(r == null ? null : r.p90()))
                    .append("</td><td class=\"num\">").append(micros(r == null ? null : r.p99()))
                    .append("</td><td class=\"num\">").append(micros(w.jitterMicros())).append("</td></tr>\n");
        }
        out.append("</tbody></table>\n");
    }

    static void tests(StringBuilder out, List<ThroughputResult> tests, SiteView view) {
        if (tests.isEmpty()) {
            out.append("<p class=\"small\">No throughput test in the last 7 days.</p>\n");
            return;
        }
        out.append("<table><thead><tr><th>End</th><th>Target</th><th>Dir</th><th>Result</th><th>Steady rate</th>")
                .append("<th>Streams</th><th>Duration</th><th>Idle RTT</th><th>Loaded RTT p50 / p90</th>")
                .append("<th>Bufferbloat</th><th>RPM</th><th>Grade</th><th>Retransmits</th>")
                .append("<th title=\"TCP congestion control of the sending side: cubic fills a bloated buffer, bbr keeps it short\">")
                .append("Sender</th></tr></thead><tbody>\n");
        for (ThroughputResult t : tests) {
            Double expected = "down".equals(t.direction()) ? view.expectedDownBytesPerSecond()
                    : view.expectedUpBytesPerSecond();
            SiteRow.Rate rate = new SiteRow.Rate(t.result(), t.steadyBytesPerSecond(), expected,
                    "ok".equals(t.result()) && expected != null ? t.steadyBytesPerSecond() / expected : null,
                    t.loaded() == null ? null : t.loaded().grade());
            ThroughputResult.LoadedLatency l = t.loaded();
            out.append("<tr><td class=\"time\">").append(Format.utc(t.endEpochMillis())).append("</td><td class=\"name\">").append(Html.escape(t.target()))
                    .append("</td><td>").append(Html.escape(t.direction())).append("</td><td class=\"wrap\">").append(Html.escape(t.result()));
            if (t.message() != null) {
                out.append("<br><span class=\"small\">").append(Html.escape(t.message())).append("</span>");
            }
            out.append("</td><td class=\"num pair\">");
            SiteTable.rate(out, "ok".equals(t.result()) ? rate : null);
            out.append("</td><td class=\"num\">").append(t.streams())
                    .append("</td><td class=\"num\">").append(Format.number(t.seconds())).append(" s")
                    .append("</td><td class=\"num\">").append(micros(l == null ? null : l.idleRttP50Micros()))
                    .append("</td><td class=\"num pair\">").append(Html.keep(micros(l == null ? null : l.loadedRttP50Micros())))
                    .append(" / ").append(Html.keep(micros(l == null ? null : l.loadedRttP90Micros())))
                    .append("</td><td class=\"num\">").append(micros(l == null ? null : l.bufferbloatMicros()))
                    .append("</td><td class=\"num\">").append(l == null ? Format.NONE : Format.number(l.rpm()))
                    .append("</td><td>").append(SiteTable.grade(rate))
                    .append("</td><td class=\"num\">").append(t.tcp() == null ? Format.NONE : Long.toString(t.tcp().retransmits()))
                    .append("</td><td>").append(t.tcp() == null || t.tcp().congestionControl() == null ? Format.NONE
                            : Html.escape(t.tcp().congestionControl()))
                    .append("</td></tr>\n");
        }
        out.append("</tbody></table>\n");
    }

    static void connects(StringBuilder out, List<ConnectResult> connects) {
        if (connects.isEmpty()) {
            out.append("<p class=\"small\">No TCP connect probe in the last 24 h.</p>\n");
            return;
        }
        out.append("<table><thead><tr><th>End</th><th>Target</th><th>Address</th><th>Result</th><th>Connect time</th>")
                .append("</tr></thead><tbody>\n");
        for (ConnectResult c : connects) {
            out.append("<tr><td class=\"time\">").append(Format.utc(c.endEpochMillis())).append("</td><td class=\"name\">").append(Html.escape(c.target()))
                    .append("</td><td class=\"name\">").append(Html.escape(c.host())).append(':').append(c.port()).append("</td><td class=\"wrap\">")
                    .append(c.success() ? "<span class=\"good\">ok</span>"
                            : "<span class=\"bad\">failed</span> " + Html.escape(c.error()))
                    .append("</td><td class=\"num\">").append(micros(c.connectMicros())).append("</td></tr>\n");
        }
        out.append("</tbody></table>\n");
    }

    private static String loss(long lost, long sent) {
        return sent == 0 ? Format.NONE : Format.percent((double) lost / sent);
    }

    private static String micros(Double micros) {
        return micros == null ? Format.NONE : Format.millis(micros / 1e6);
    }
}
