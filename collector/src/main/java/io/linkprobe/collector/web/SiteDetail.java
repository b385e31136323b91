package io.linkprobe.collector.web;

import io.linkprobe.collector.sites.SiteView;
import io.linkprobe.common.wire.ConnectResult;
import io.linkprobe.common.wire.LatencyWindow;
import io.linkprobe.common.wire.ThroughputResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The HTML of one site's page (see {@link SitePage}); every agent-supplied value escaped. */
final class SiteDetail {
    static final int RECENT_ROWS = 30;
    static final int PLOTTED_TARGETS = 6;
    private static final int PLOT_WIDTH = 860;
    private static final int PLOT_HEIGHT = 200;
    /** Windows are 60 s apart: a longer hole is missing data and is drawn as a gap. */
    private static final long WINDOW_GAP_MILLIS = 150_000;

    private final SitePage.Data data;
    private final SiteView view;
    private final long now;

    SiteDetail(SitePage.Data data) {
        this.data = data;
        this.view = data.view();
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
        page.append("<h2>RTT, last 24 h</h2>\n").append(rttPlot());
        page.append("<h2>Loss per direction, last 24 h</h2>\n").append(lossPlot());
        page.append("<h2>Throughput, last 7 days</h2>\n").append(throughputPlot());
        if (!data.connects().isEmpty()) {
            page.append("<h2>TCP connect time, last 24 h</h2>\n").append(connectPlot());
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

    private String rttPlot() {
        Plot plot = new Plot(now - SitePage.LATENCY_SPAN.toMillis(), now, "ms", WINDOW_GAP_MILLIS);
        int i = 0;
        for (Map.Entry<String, List<LatencyWindow>> e : byTarget().entrySet()) {
            List<LatencyWindow> ws = e.getValue();
            long[] t = new long[ws.size()];
            double[] p50 = new double[ws.size()];
            double[] p90 = new double[ws.size()];
            for (int k = 0; k < ws.size(); k++) {
                LatencyWindow w = ws.get(k);
                t[k] = w.endEpochMillis();
                p50[k] = w.rtt() == null ? Double.NaN : w.rtt().p50() / 1000;
                p90[k] = w.rtt() == null ? Double.NaN : w.rtt().p90() / 1000;
            }
            plot.line(e.getKey() + " p50", Plot.p50Color(i), false, t, p50).line(e.getKey() + " p90", Plot.p90Color(i), true, t, p90);
            if (++i == PLOTTED_TARGETS) {
                break;
            }
        }
        return plot.html(PLOT_WIDTH, PLOT_HEIGHT);
    }

    /** Loss summed over targets per minute, so that one plot answers "which direction loses". */
    private String lossPlot() {
        TreeMap<Long, long[]> perMinute = new TreeMap<>();
        for (LatencyWindow w : data.windows()) {
            if (w.received() == 0) {
                continue; // no reply at all: shown as "no reply", not as loss in one direction
            }
            long[] sums = perMinute.computeIfAbsent(w.endEpochMillis() / 60_000 * 60_000, m -> new long[3]);
            sums[0] += w.sent();
            sums[1] += w.lostForward();
            sums[2] += w.lostBackward();
        }
        long[] t = new long[perMinute.size()];
        double[] up = new double[t.length];
        double[] down = new double[t.length];
        int k = 0;
        for (Map.Entry<Long, long[]> e : perMinute.entrySet()) {
            long[] s = e.getValue();
            t[k] = e.getKey();
            up[k] = s[0] == 0 ? Double.NaN : 100.0 * s[1] / s[0];
            down[k] = s[0] == 0 ? Double.NaN : 100.0 * s[2] / s[0];
            k++;
        }
        return new Plot(now - SitePage.LATENCY_SPAN.toMillis(), now, "%", WINDOW_GAP_MILLIS)
                .line("up (site → hub)", Plot.color(1), false, t, up)
                .line("down (hub → site)", Plot.color(0), false, t, down)
                .html(PLOT_WIDTH, PLOT_HEIGHT);
    }

    private String throughputPlot() {
        Plot plot = new Plot(now - SitePage.THROUGHPUT_SPAN.toMillis(), now, "Mbit/s", 0);
        String[] directions = {"down", "up"};
        Double[] contract = {view.expectedDownBytesPerSecond(), view.expectedUpBytesPerSecond()};
        for (int d = 0; d < 2; d++) {
            List<ThroughputResult> tests = new ArrayList<>();
            for (ThroughputResult r : data.tests()) {
                if (directions[d].equals(r.direction()) && "ok".equals(r.result())) {
                    tests.add(r);
                }
            }
            Collections.reverse(tests);
            long[] t = new long[tests.size()];
            double[] rate = new double[tests.size()];
            for (int k = 0; k < tests.size(); k++) {
                t[k] = tests.get(k).endEpochMillis();
                rate[k] = tests.get(k).steadyBytesPerSecond() * 8 / 1e6;
            }
            plot.points(directions[d], Plot.color(d), t, rate);
            if (contract[d] != null) {
                plot.reference("contract " + directions[d], Plot.contractColor(d), contract[d] * 8 / 1e6);
            }
        }
        return plot.html(PLOT_WIDTH, PLOT_HEIGHT);
    }

    private String connectPlot() {
        Map<String, List<ConnectResult>> byTarget = new LinkedHashMap<>();
        for (ConnectResult c : data.connects()) {
            byTarget.computeIfAbsent(c.target(), x -> new ArrayList<>()).add(c);
        }
        Plot plot = new Plot(now - SitePage.LATENCY_SPAN.toMillis(), now, "ms", WINDOW_GAP_MILLIS);
        int i = 0;
        for (Map.Entry<String, List<ConnectResult>> e : byTarget.entrySet()) {
            List<ConnectResult> cs = e.getValue();
            Collections.reverse(cs);
            long[] t = new long[cs.size()];
            double[] ms = new double[cs.size()];
            for (int k = 0; k < cs.size(); k++) {
                t[k] = cs.get(k).endEpochMillis();
                ms[k] = cs.get(k).connectMicros() == null ? Double.NaN : cs.get(k).connectMicros() / 1000;
            }
            plot.line(e.getKey(), Plot.color(i), false, t, ms);
            if (++i == PLOTTED_TARGETS) {
                break;
            }
        }
        return plot.html(PLOT_WIDTH, PLOT_HEIGHT);
    }

    /** The windows per target, oldest first, targets in order of first appearance (newest first). */
    private Map<String, List<LatencyWindow>> byTarget() {
        Map<String, List<LatencyWindow>> byTarget = new LinkedHashMap<>();
        for (LatencyWindow w : data.windows()) {
            byTarget.computeIfAbsent(w.target(), x -> new ArrayList<>()).add(w);
        }
        byTarget.values().forEach(Collections::reverse);
        return byTarget;
    }
}
