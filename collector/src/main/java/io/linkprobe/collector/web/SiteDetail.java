package io.linkprobe.collector.web;

import io.linkprobe.collector.sites.SiteView;
import java.util.Map;
import java.util.TreeMap;

/** The HTML of one site's page (see {@link SitePage}); every agent-supplied value escaped. */
final class SiteDetail {
    static final int RECENT_ROWS = 30;
    static final int PLOTTED_TARGETS = 6;
    private static final int PLOT_WIDTH = 860;
    private static final int PLOT_HEIGHT = 200;

    private final SitePage.Data data;
    private final SiteView view;
    private final SiteHistory history;
    private final long now;

    SiteDetail(SitePage.Data data) {
        this.data = data;
        this.view = data.view();
        this.history = data.history();
        this.now = data.nowMillis();
    }

    String render() {
        StringBuilder page = Page.start("linkprobe: " + view.site(), 64 * 1024, StatusPage.REFRESH_SECONDS);
        page.append("<h2>").append(Html.escape(view.site())).append(" <span class=\"badge ")
                .append(Html.escape(view.health())).append("\">").append(Html.escape(view.health())).append("</span> ")
                .append(view.healthReason() == null ? "" : "<span class=\"small\">" + Html.escape(view.healthReason())
                        + "</span>")
                .append("</h2>\n");
        facts(page);
        page.append("<h2>Latest window per target</h2>\n");
        ResultTables.latest(page, view.latency());
        page.append("<h2>Video readiness</h2>\n");
        VideoTables.latest(page, view.video());
        VideoTables.recent(page, data.videos().subList(0, Math.min(RECENT_ROWS, data.videos().size())));
        rangePicker(page);
        String span = history.range.label;
        page.append("<h2>RTT, last ").append(span).append("</h2>\n").append(rttPlot());
        page.append("<h2>Loss per direction, last ").append(span).append("</h2>\n").append(lossPlot());
        page.append("<h2>Throughput, last ").append(history.range.throughputLabel()).append("</h2>\n")
                .append("<p class=\"small\">Each successful test, from the ").append(history.throughputTier.wireName())
                .append(" tier.</p>\n").append(throughputPlot());
        if (!history.connect.isEmpty()) {
            page.append("<h2>TCP connect time, last ").append(span).append("</h2>\n").append(connectPlot());
        }
        page.append("<h2>Recent latency windows</h2>\n");
        if (data.windowsTruncated()) {
            page.append("<p class=\"small\">Only the newest ").append(data.windows().size())
                    .append(" windows of the last 24 h are shown.</p>\n");
        }
        ResultTables.recent(page, data.windows().subList(0, Math.min(RECENT_ROWS, data.windows().size())));
        page.append("<h2>Throughput tests</h2>\n");
        ResultTables.tests(page, data.tests().subList(0, Math.min(RECENT_ROWS, data.tests().size())), view);
        page.append("<h2>Connect results</h2>\n");
        ResultTables.connects(page, data.connects().subList(0, Math.min(RECENT_ROWS, data.connects().size())));
        page.append("<p class=\"small\">JSON: <a href=\"/api/v1/sites/").append(Html.escape(Html.pathSegment(view.site())))
                .append("\">/api/v1/sites/").append(Html.escape(view.site())).append("</a>");
        if (data.grafanaUrl() != null) {
            page.append(" · <a href=\"").append(Html.escape(grafanaLink(data.grafanaUrl(), view.site())))
                    .append("\">Grafana site dashboard</a>");
        }
        page.append(" · generated ")
                .append(Format.utc(now)).append("</p>\n");
        return Page.end(page);
    }

    /** The site dashboard of deploy/grafana (uid linkprobe-site) for this site. */
    static String grafanaLink(String grafanaUrl, String site) {
        String base = grafanaUrl.endsWith("/") ? grafanaUrl.substring(0, grafanaUrl.length() - 1) : grafanaUrl;
        return base + "/d/linkprobe-site/linkprobe-site?var-site="
                + java.net.URLEncoder.encode(site, java.nio.charset.StandardCharsets.UTF_8);
    }

    private void facts(StringBuilder out) {
        out.append("<dl class=\"facts\"><dt>Last seen</dt><dd>").append(Format.ago(view.lastSeenEpochMillis(), now))
                .append(" (").append(Format.utc(view.lastSeenEpochMillis())).append(")")
                .append(view.seriesExpired() ? " — series removed from /metrics for silence" : "").append("</dd>")
                .append("<dt>Agent</dt><dd>").append(Html.escape(view.agentId())).append(", version ")
                .append(Html.escape(view.agentVersion())).append("</dd><dt>Labels</dt><dd>");
        if (view.labels().isEmpty()) {
            out.append(Format.NONE);
        }
        boolean first = true;
        for (Map.Entry<String, String> label : new TreeMap<>(view.labels()).entrySet()) {
            out.append(first ? "" : ", ").append(Html.escape(label.getKey())).append(" = <code>")
                    .append(Html.escape(label.getValue())).append("</code>");
            first = false;
        }
        out.append("</dd><dt>Contract</dt><dd>");
        if (view.expectedDownBytesPerSecond() == null && view.expectedUpBytesPerSecond() == null) {
            out.append("none declared");
        } else {
            out.append("down ").append(view.expectedDownBytesPerSecond() == null ? Format.NONE
                            : Format.mbit(view.expectedDownBytesPerSecond()))
                    .append(" / up ").append(view.expectedUpBytesPerSecond() == null ? Format.NONE
                            : Format.mbit(view.expectedUpBytesPerSecond())).append(" Mbit/s");
        }
        out.append("</dd></dl>\n");
    }

    /** The links that choose the plots' span; the current one is plain text. */
    private void rangePicker(StringBuilder out) {
        String path = SitePage.PREFIX + Html.pathSegment(view.site());
        out.append("<p class=\"range\">Plots over ");
        for (PlotRange r : PlotRange.values()) {
            out.append(r.ordinal() == 0 ? "" : " · ");
            if (r == history.range) {
                out.append("<strong>").append(r.label).append("</strong>");
            } else {
                out.append("<a href=\"").append(Html.escape(path + (r == PlotRange.DEFAULT ? "" : "?range=" + r.key)))
                        .append("\">").append(r.label).append("</a>");
            }
        }
        out.append(" <span class=\"small\">(").append(Html.escape(history.note)).append(")</span></p>\n");
        if (history.truncated) {
            out.append("<p class=\"small\">A day of this range held more than ").append(ArchivedResults.MAX_WINDOWS)
                    .append(" windows: the plots show the newest windows of that day.</p>\n");
        }
    }

    private String rttPlot() {
        Plot plot = new Plot(history.fromMillis, now, "ms", history.gapMillis);
        int i = 0;
        for (SiteHistory.Series s : history.rtt) {
            plot.line(s.name() + " p50", Plot.p50Color(i), false, s.times(), s.first())
                    .line(s.name() + " p90", Plot.p90Color(i), true, s.times(), s.second());
            if (++i == PLOTTED_TARGETS) {
                break;
            }
        }
        return plot.html(PLOT_WIDTH, PLOT_HEIGHT);
    }

    /** Loss summed over targets, so that one plot answers "which direction loses". */
    private String lossPlot() {
        SiteHistory.Series loss = history.loss;
        return new Plot(history.fromMillis, now, "%", history.gapMillis)
                .line("up (site → hub)", Plot.color(1), false, loss.times(), loss.first())
                .line("down (hub → site)", Plot.color(0), false, loss.times(), loss.second())
                .html(PLOT_WIDTH, PLOT_HEIGHT);
    }

    private String throughputPlot() {
        Plot plot = new Plot(history.throughputFromMillis, now, "Mbit/s", 0);
        SiteHistory.Series[] measured = {history.down, history.up};
        String[] directions = {"down", "up"};
        Double[] contract = {view.expectedDownBytesPerSecond(), view.expectedUpBytesPerSecond()};
        for (int d = 0; d < 2; d++) {
            SiteHistory.Series s = measured[d];
            plot.points(directions[d], Plot.color(d), s == null ? new long[0] : s.times(),
                    s == null ? new double[0] : s.first());
            if (contract[d] != null) {
                plot.reference("contract " + directions[d], Plot.contractColor(d), contract[d] * 8 / 1e6);
            }
        }
        return plot.html(PLOT_WIDTH, PLOT_HEIGHT);
    }

    private String connectPlot() {
        Plot plot = new Plot(history.fromMillis, now, "ms", history.gapMillis);
        int i = 0;
        for (SiteHistory.Series s : history.connect) {
            plot.line(s.name(), Plot.color(i), false, s.times(), s.first());
            if (++i == PLOTTED_TARGETS) {
                break;
            }
        }
        return plot.html(PLOT_WIDTH, PLOT_HEIGHT);
    }
}
