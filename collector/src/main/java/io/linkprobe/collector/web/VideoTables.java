package io.linkprobe.collector.web;

import io.linkprobe.collector.sites.SiteView;
import io.linkprobe.common.net.Dscp;
import io.linkprobe.common.wire.VideoResult;
import java.util.List;

/**
 * The site page's video-readiness section: the latest verdict per target, then the recent tests
 * with their ladders. Figures are one call's (the ladder's first step); the ladder shows each
 * step's verdict.
 */
final class VideoTables {
    private VideoTables() {}

    static void latest(StringBuilder out, List<SiteView.Video> latest) {
        if (latest.isEmpty()) {
            out.append("<p class=\"small\">No video test has run since the collector started.</p>\n");
            return;
        }
        out.append("<p class=\"small\">One call: 1.2 Mbit/s each way at once (or the site's video.rate_kbps), judged "
                + "against loss &lt; 1 %, jitter &lt; 30 ms, one-way delay ≤ 150 ms, NHS Near Me's rates and a G.107 MOS "
                + "of 3.6 (not ready below); RTT p95 &lt; 100 ms and MOS 4.0 are targets (marginal when missed). "
                + "Calls: concurrent calls the link carried.</p>\n");
        out.append("<table><thead><tr><th>Target</th><th>Tested</th><th>Verdict</th><th>Calls</th><th>MOS</th>")
                .append("<th>Loss up / down</th><th>Jitter up / down</th><th>RTT p95</th><th>DSCP</th></tr></thead><tbody>\n");
        for (SiteView.Video v : latest) {
            out.append("<tr><td>").append(Html.escape(v.target())).append("</td><td>").append(Format.utc(v.endEpochMillis()))
                    .append("</td><td class=\"wrap\">").append(SiteTable.verdict(v.verdict()));
            if (v.reason() != null) {
                out.append("<br><span class=\"small\">").append(Html.escape(v.reason())).append("</span>");
            }
            out.append("</td><td class=\"num\">").append(v.calls()).append(" <span class=\"small\">(")
                    .append(Html.escape(v.callsLimit())).append(")</span></td><td class=\"num\">")
                    .append(Format.number(v.mos())).append("</td><td class=\"num\">").append(Format.percent(v.lossUpRatio()))
                    .append(" / ").append(Format.percent(v.lossDownRatio())).append("</td><td class=\"num\">")
                    .append(Format.millis(v.jitterUpSeconds())).append(" / ").append(Format.millis(v.jitterDownSeconds()))
                    .append("</td><td class=\"num\">").append(Format.millis(v.rttP95Seconds())).append("</td><td>")
                    .append(Dscp.name(v.dscp())).append("</td></tr>\n");
        }
        out.append("</tbody></table>\n");
    }

    static void recent(StringBuilder out, List<VideoResult> tests) {
        if (tests.isEmpty()) {
            out.append("<p class=\"small\">No video test in the last 7 days.</p>\n");
            return;
        }
        out.append("<h3>Video tests, last 7 days</h3>\n");
        out.append("<table><thead><tr><th>End</th><th>Target</th><th>Verdict</th><th>MOS</th><th>Loss up / down</th>")
                .append("<th>Longest burst up / down</th><th>Jitter up / down</th><th>Delay variation up / down</th>")
                .append("<th>RTT p50 / p95</th><th>Ladder</th><th>Moved</th></tr></thead><tbody>\n");
        for (VideoResult t : tests) {
            out.append("<tr><td>").append(Format.utc(t.endEpochMillis())).append("</td><td>").append(Html.escape(t.target()))
                    .append("</td><td class=\"wrap\">");
            if (!VideoResult.Outcome.OK.wireName().equals(t.result()) || t.up() == null || t.down() == null) {
                out.append("<span class=\"warn\">").append(Html.escape(t.result())).append("</span><br><span class=\"small\">")
                        .append(Html.escape(t.message())).append("</span></td><td colspan=\"8\"></td><td class=\"num\">")
                        .append(Format.number(t.bytes() / 1e6)).append(" MB</td></tr>\n");
                continue;
            }
            out.append(SiteTable.verdict(t.verdict()));
            if (t.reason() != null) {
                out.append("<br><span class=\"small\">").append(Html.escape(t.reason())).append("</span>");
            }
            VideoResult.Direction up = t.up();
            VideoResult.Direction down = t.down();
            out.append("</td><td class=\"num\">").append(t.mos() == null ? Format.NONE : Format.number(t.mos()))
                    .append("</td><td class=\"num\">").append(Format.percent(up.lossPercent() / 100)).append(" / ")
                    .append(Format.percent(down.lossPercent() / 100))
                    .append("</td><td class=\"num\">").append(up.longestBurst()).append(" / ").append(down.longestBurst())
                    .append("</td><td class=\"num\">").append(micros(up.jitterMicros())).append(" / ").append(micros(down.jitterMicros()))
                    .append("</td><td class=\"num\">").append(micros(up.delayVariationMicros())).append(" / ")
                    .append(micros(down.delayVariationMicros()))
                    .append("</td><td class=\"num\">").append(micros(t.rttP50Micros())).append(" / ").append(micros(t.rttP95Micros()))
                    .append("</td><td class=\"wrap\">");
            for (VideoResult.Step s : t.ladder()) {
                out.append(s.calls()).append(": ").append(SiteTable.verdict(s.verdict())).append(' ');
            }
            out.append("<br><span class=\"small\">carries ").append(t.calls()).append(", stopped by ")
                    .append(Html.escape(t.callsLimit())).append("</span></td><td class=\"num\">")
                    .append(Format.number(t.bytes() / 1e6)).append(" MB</td></tr>\n");
        }
        out.append("</tbody></table>\n");
    }

    private static String micros(Double micros) {
        return micros == null ? Format.NONE : Format.millis(micros / 1e6);
    }
}
