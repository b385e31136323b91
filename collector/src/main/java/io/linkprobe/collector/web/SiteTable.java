package io.linkprobe.collector.web;

import io.linkprobe.collector.sites.DaySeries;
import io.linkprobe.collector.sites.SiteHealth;
import io.linkprobe.collector.sites.SiteView;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The status page's HTML: summary line, filter form, the sortable table and the pager. Every value
 * that came from an agent (site names, labels, reasons naming targets) passes {@link Html#escape};
 * every URL built from one is percent-encoded first.
 */
final class SiteTable {
    private static final String[] HEALTHS = {SiteHealth.DOWN, SiteHealth.DEGRADED, SiteHealth.OK};
    /** Amber below this share of the contract; red below the health rule's threshold. */
    private static final double CONTRACT_WARN_RATIO = 0.8;

    private final SiteQuery query;
    private final long nowMillis;

    SiteTable(SiteQuery query, long nowMillis) {
        this.query = query;
        this.nowMillis = nowMillis;
    }

    void summary(StringBuilder out, int total, Map<String, Integer> healthCounts, int matching, int from, int shown,
            int pages) {
        out.append("<p class=\"summary\"><strong>").append(total).append(" sites</strong>: ");
        for (int i = 0; i < HEALTHS.length; i++) {
            String h = HEALTHS[i];
            out.append(i == 0 ? "" : ", ").append("<a class=\"badge ").append(h).append("\" href=\"")
                    .append(Html.escape(query.withHealth(h).href())).append("\">")
                    .append(healthCounts.getOrDefault(h, 0)).append(' ').append(h).append("</a>");
        }
        out.append(". ");
        if (query.filtered()) {
            out.append(matching).append(" match the filter. ");
        }
        if (matching > 0) {
            out.append("Showing ").append(from + 1).append('–').append(from + shown);
            if (pages > 1) {
                out.append(" (page ").append(query.page()).append(" of ").append(pages).append(')');
            }
            out.append(", sorted by ").append(query.sort().heading.toLowerCase(java.util.Locale.ROOT))
                    .append(query.descending() ? ", descending" : ", ascending").append('.');
        }
        out.append(" <span class=\"small\">Generated ").append(Format.utc(nowMillis)).append(".</span></p>\n");
    }

    void filters(StringBuilder out, Collection<String> regions, Collection<String> links) {
        out.append("<form class=\"filters\" method=\"get\" action=\"/\">");
        select(out, "region", "Region", regions, query.region());
        select(out, "link", "Link", links, query.link());
        select(out, "health", "Health", List.of(HEALTHS), query.health());
        out.append("<label>Site name contains<input type=\"text\" name=\"q\" value=\"")
                .append(Html.escape(query.text())).append("\" size=\"16\"></label>")
                .append("<input type=\"hidden\" name=\"sort\" value=\"").append(query.sort().key).append("\">")
                .append("<input type=\"hidden\" name=\"dir\" value=\"").append(query.descending() ? "desc" : "asc")
                .append("\"><button type=\"submit\">Filter</button> <a href=\"/\">clear</a></form>\n");
    }

    private static void select(StringBuilder out, String name, String label, Collection<String> choices, String current) {
        out.append("<label>").append(label).append("<select name=\"").append(name).append("\"><option value=\"\">all</option>");
        boolean currentListed = current == null;
        for (String c : choices) {
            currentListed |= c.equals(current);
            option(out, c, c.equals(current));
        }
        if (!currentListed) {
            option(out, current, true);
        }
        out.append("</select></label>");
    }

    private static void option(StringBuilder out, String value, boolean selected) {
        out.append("<option value=\"").append(Html.escape(value)).append('"').append(selected ? " selected" : "")
                .append('>').append(Html.escape(value)).append("</option>");
    }

    void rows(StringBuilder out, List<SiteRow> rows, Map<String, DaySeries.Points> days) {
        if (rows.isEmpty()) {
            out.append("<p>No site matches.</p>\n");
            return;
        }
        out.append("<table class=\"sites\">\n<thead><tr>");
        for (SiteColumn c : SiteColumn.values()) {
            heading(out, c);
        }
        out.append("<th>Last 24 h</th></tr></thead>\n<tbody>\n");
        for (SiteRow r : rows) {
            row(out, r, days.get(r.site()));
        }
        out.append("</tbody></table>\n");
    }

    private void heading(StringBuilder out, SiteColumn c) {
        String arrow = c == query.sort() ? (query.descending() ? " ▼" : " ▲") : "";
        boolean numeric = c == SiteColumn.RTT || c == SiteColumn.LOSS || c == SiteColumn.DOWN || c == SiteColumn.UP;
        out.append(numeric ? "<th class=\"num\">" : "<th>").append("<a href=\"").append(Html.escape(query.sortedBy(c).href())).append("\">").append(c.heading)
                .append(arrow).append("</a></th>");
    }

    private void row(StringBuilder out, SiteRow r, DaySeries.Points day) {
        SiteView v = r.view();
        out.append("<tr><td class=\"name\"><a href=\"/sites/").append(Html.escape(Html.pathSegment(v.site()))).append("\">")
                .append(Html.escape(v.site())).append("</a></td><td class=\"name\">").append(Html.escape(r.region()))
                .append("</td><td class=\"name\">").append(Html.escape(r.link())).append("</td><td><span class=\"badge ")
                .append(Html.escape(v.health())).append("\">").append(Html.escape(v.health())).append("</span>");
        if (v.healthReason() != null) {
            out.append("<br><span class=\"small wrap\">").append(Html.escape(v.healthReason())).append("</span>");
        }
        out.append("</td><td class=\"time\">").append(Format.ago(v.lastSeenEpochMillis(), nowMillis))
                .append("<br><span class=\"small\">").append(Format.utc(v.lastSeenEpochMillis()))
                .append("</span></td><td class=\"num\"");
        if (r.rttTarget() != null) {
            out.append(" title=\"to ").append(Html.escape(r.rttTarget())).append('"');
        }
        out.append('>').append(Format.millis(r.rttP50Seconds())).append("</td><td class=\"num\">");
        if (r.noReplyTarget() != null) {
            out.append("<span class=\"bad\">no reply</span> <span class=\"small name\">(")
                    .append(Html.escape(r.noReplyTarget())).append(")</span>").append(r.lossUp() == null ? "" : "<br>");
        }
        if (r.lossUp() != null || r.noReplyTarget() == null) {
            loss(out, r.lossUp());
            out.append(" / ");
            loss(out, r.lossDown());
        }
        out.append("</td><td class=\"num pair\">");
        rate(out, r.down());
        out.append("</td><td class=\"num pair\">");
        rate(out, r.up());
        out.append("</td><td>").append(grade(r.down())).append(" / ").append(grade(r.up())).append("</td><td>");
        video(out, r.video());
        out.append("</td><td>");
        Sparkline.append(out, day);
        out.append("</td></tr>\n");
    }

    private static void loss(StringBuilder out, Double ratio) {
        boolean bad = ratio != null && ratio >= SiteHealth.DEGRADED_LOSS_RATIO;
        out.append(bad ? "<span class=\"bad\">" : "").append(Format.percent(ratio)).append(bad ? "</span>" : "");
    }

    /**
     * "78.1 / 80 Mbit/s, 98 %" (breakable only around the "/" and after the comma), red under the
     * health rule's share of the contract, amber under 80 %.
     */
    static void rate(StringBuilder out, SiteRow.Rate rate) {
        if (rate == null) {
            out.append(Format.NONE);
            return;
        }
        if (!rate.ok()) {
            out.append("<span class=\"warn\">").append(Html.escape(rate.result())).append("</span>");
            return;
        }
        String css = rate.ratio() == null ? null
                : rate.ratio() < SiteHealth.DEGRADED_CONTRACT_RATIO ? "bad"
                : rate.ratio() < CONTRACT_WARN_RATIO ? "warn" : null;
        out.append(css == null ? "" : "<span class=\"" + css + "\">").append(Format.mbit(rate.bytesPerSecond()));
        if (rate.expectedBytesPerSecond() != null) {
            out.append(" / ").append(Format.mbit(rate.expectedBytesPerSecond()));
        }
        out.append(Html.keep(" Mbit/s"));
        if (rate.ratio() != null) {
            out.append(", ").append(Html.keep(Math.round(rate.ratio() * 100) + " %"));
        }
        out.append(css == null ? "" : "</span>");
    }

    /** "ready · 8 calls", coloured by verdict, with what failed under it. */
    static void video(StringBuilder out, SiteRow.Video v) {
        if (v == null) {
            out.append(Format.NONE);
            return;
        }
        out.append(verdict(v.verdict())).append(" · ").append(v.calls()).append(v.calls() == 1 ? " call" : " calls");
        if (v.reason() != null) {
            out.append("<br><span class=\"small wrap\">").append(Html.escape(v.reason())).append("</span>");
        }
    }

    /** A verdict as a coloured word: ready green, marginal amber, not ready red. */
    static String verdict(String verdict) {
        String css = "ready".equals(verdict) ? "good" : "marginal".equals(verdict) ? "warn" : "bad";
        return "<span class=\"" + css + "\">" + Html.escape(verdict == null ? "–" : verdict.replace('_', ' ')) + "</span>";
    }

    /** A–F, coloured: A and B are fine for video calls, C is noticeable, D and worse hurt. */
    static String grade(SiteRow.Rate rate) {
        if (rate == null || rate.grade() == null) {
            return Format.NONE;
        }
        String g = rate.grade();
        String css = g.equals("A") || g.equals("B") ? "good" : g.equals("C") ? "warn" : "bad";
        return "<span class=\"" + css + "\">" + Html.escape(g) + "</span>";
    }

    void pager(StringBuilder out, int matching, int from, int shown, int pages) {
        if (pages <= 1) {
            return;
        }
        out.append("<p class=\"pager\">");
        if (query.page() > 1) {
            out.append("<a href=\"").append(Html.escape(query.onPage(1).href())).append("\">« first</a>")
                    .append("<a href=\"").append(Html.escape(query.onPage(query.page() - 1).href())).append("\">‹ previous</a>");
        }
        out.append("<span>").append(from + 1).append('–').append(from + shown).append(" of ").append(matching).append("</span>");
        if (query.page() < pages) {
            out.append("<a href=\"").append(Html.escape(query.onPage(query.page() + 1).href())).append("\">next ›</a>")
                    .append("<a href=\"").append(Html.escape(query.onPage(pages).href())).append("\">last »</a>");
        }
        out.append("</p>\n");
    }
}
