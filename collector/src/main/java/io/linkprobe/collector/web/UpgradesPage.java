package io.linkprobe.collector.web;

import io.linkprobe.collector.archive.ArchiveException;
import io.linkprobe.collector.http.Endpoint;
import io.linkprobe.collector.http.Reply;
import io.linkprobe.collector.http.Request;
import io.linkprobe.collector.upgrades.Figures;
import io.linkprobe.collector.upgrades.SiteUpgrade;
import io.linkprobe.collector.upgrades.Upgrades;
import io.linkprobe.collector.upgrades.Verdict;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * {@code /upgrades?region=}: the programme view. Per region and link type the sites upgraded and
 * how many delivered, partly, not, and are pending (or short of data); then every upgraded site with
 * its before/after figures, a small before/after plot of median throughput against the contract,
 * and a link to its site page. The same figures as {@code GET /api/v1/upgrades}.
 */
public final class UpgradesPage implements Endpoint {
    public static final String PATH = "/upgrades";
    private static final Verdict.Outcome[] COLUMNS = {Verdict.Outcome.DELIVERED, Verdict.Outcome.PARTLY_DELIVERED,
        Verdict.Outcome.NOT_DELIVERED, Verdict.Outcome.PENDING, Verdict.Outcome.INSUFFICIENT_DATA};

    private final Upgrades upgrades;
    private final Executor readers;

    public UpgradesPage(Upgrades upgrades, Executor readers) {
        this.upgrades = upgrades;
        this.readers = readers;
    }

    @Override
    public CompletionStage<Reply> handle(Request request) {
        String region = request.param("region");
        return CompletableFuture.supplyAsync(() -> {
            try {
                return Page.reply(HttpResponseStatus.OK, render(upgrades.verdicts(region), region));
            } catch (ArchiveException e) {
                return Reply.text(HttpResponseStatus.SERVICE_UNAVAILABLE, e.getMessage());
            }
        }, readers);
    }

    static String render(List<SiteUpgrade> rows, String region) {
        StringBuilder page = Page.start("linkprobe: upgrades", 8_192 + rows.size() * 1_500);
        page.append("<h2>Upgrades").append(region == null ? "" : " in " + Html.escape(region)).append("</h2>\n")
                .append("<p class=\"small\">Each site's latest cut-over: 28 days before it against 28 days after a"
                        + " 3-day settle period, from the hourly archive. <a href=\"/api/v1/upgrades")
                .append(region == null ? "" : "?region=" + Html.escape(Html.queryValue(region)))
                .append("\">JSON</a> (CSV with Accept: text/csv).</p>\n");
        Map<String, Map<Verdict.Outcome, Integer>> counts = new TreeMap<>();
        for (SiteUpgrade u : rows) {
            String key = (u.region() == null ? "" : u.region()) + "\u0000" + u.cutOver().link();
            counts.computeIfAbsent(key, k -> new EnumMap<>(Verdict.Outcome.class))
                    .merge(u.verdict().outcome(), 1, Integer::sum);
        }
        page.append("<table><thead><tr><th>region</th><th>link</th><th class=\"num\">upgraded</th>");
        for (Verdict.Outcome o : COLUMNS) {
            page.append("<th class=\"num\">").append(label(o)).append("</th>");
        }
        page.append("</tr></thead><tbody>\n");
        for (Map.Entry<String, Map<Verdict.Outcome, Integer>> e : counts.entrySet()) {
            String[] key = e.getKey().split("\u0000", 2);
            int total = e.getValue().values().stream().mapToInt(Integer::intValue).sum();
            page.append("<tr><td class=\"name\">").append(key[0].isEmpty() ? "–" : "<a href=\"/upgrades?region="
                            + Html.escape(Html.queryValue(key[0])) + "\">" + Html.escape(key[0]) + "</a>")
                    .append("</td><td class=\"name\">").append(Html.escape(key[1])).append("</td><td class=\"num\">").append(total)
                    .append("</td>");
            for (Verdict.Outcome o : COLUMNS) {
                page.append("<td class=\"num\">").append(e.getValue().getOrDefault(o, 0)).append("</td>");
            }
            page.append("</tr>\n");
        }
        page.append("</tbody></table>\n<h2>Sites</h2>\n<table><thead><tr><th>site</th><th>region</th><th>link</th>"
                + "<th>cut-over</th><th>verdict</th><th class=\"num\">contract down/up</th>"
                + "<th class=\"num\">down median before → after</th><th class=\"num\">up median before → after</th>"
                + "<th class=\"num\">RTT p95 before → after</th><th class=\"num\">tests before / after</th>"
                + "<th>down vs contract</th><th>why</th></tr></thead><tbody>\n");
        for (SiteUpgrade u : rows) {
            Figures b = u.before();
            Figures a = u.after();
            page.append("<tr><td class=\"name\"><a href=\"").append(SitePage.PREFIX).append(Html.escape(Html.pathSegment(u.site())))
                    .append("\">").append(Html.escape(u.site())).append("</a></td><td class=\"name\">")
                    .append(Html.escape(u.region() == null ? "" : u.region())).append("</td><td class=\"name\">")
                    .append(Html.escape(u.cutOver().link())).append("</td><td>")
                    .append(Instant.ofEpochMilli(u.cutOver().atMillis()).toString(), 0, 10).append("</td><td>")
                    .append("<span class=\"badge ").append(css(u.verdict().outcome())).append("\">")
                    .append(label(u.verdict().outcome())).append("</span></td><td class=\"num pair\">")
                    .append(mbps(u.cutOver().downMbps())).append(" / ").append(mbps(u.cutOver().upMbps()))
                    .append("</td><td class=\"num pair\">").append(mbps(b.downMedianMbps())).append(" → ")
                    .append(mbps(a.downMedianMbps())).append("</td><td class=\"num pair\">").append(mbps(b.upMedianMbps()))
                    .append(" → ").append(mbps(a.upMedianMbps())).append("</td><td class=\"num pair\">")
                    .append(Html.keep(ms(b.rttP95Ms()))).append(" → ").append(Html.keep(ms(a.rttP95Ms())))
                    .append("</td><td class=\"num pair\">")
                    .append(b.tests()).append(" / ").append(a.tests()).append("</td><td>");
            plot(page, b.downMedianMbps(), a.downMedianMbps(), u.cutOver().downMbps());
            page.append("</td><td class=\"wrap small\">").append(Html.escape(String.join("; ", u.verdict().reasons())))
                    .append("</td></tr>\n");
        }
        page.append("</tbody></table>\n");
        return Page.end(page);
    }

    /** Two bars, before (grey) and after (blue), against the contract (a dark line); 120×24 px. */
    static void plot(StringBuilder page, double before, double after, double contract) {
        double top = Math.max(1e-9, Math.max(contract, Math.max(finite(before), finite(after))) * 1.1);
        int wb = (int) Math.round(110 * finite(before) / top);
        int wa = (int) Math.round(110 * finite(after) / top);
        int xc = (int) Math.round(110 * contract / top);
        page.append("<svg class=\"plot\" width=\"120\" height=\"24\" role=\"img\" aria-label=\"median down before ")
                .append(mbps(before)).append(", after ").append(mbps(after)).append(", contract ").append(mbps(contract))
                .append(" Mbit/s\"><rect x=\"0\" y=\"2\" height=\"9\" width=\"").append(wb)
                .append("\" fill=\"#9aa3ad\"/><rect x=\"0\" y=\"13\" height=\"9\" width=\"").append(wa)
                .append("\" fill=\"#0b4f9c\"/>");
        if (contract > 0) {
            page.append("<line x1=\"").append(xc).append("\" x2=\"").append(xc)
                    .append("\" y1=\"0\" y2=\"24\" stroke=\"#1a1a1a\" stroke-width=\"2\"/>");
        }
        page.append("</svg>");
    }

    private static double finite(double v) {
        return Double.isFinite(v) ? v : 0;
    }

    private static String mbps(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, v >= 10 ? "%.0f" : "%.1f", v) : "–";
    }

    private static String ms(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.1f ms", v) : "–";
    }

    private static String label(Verdict.Outcome o) {
        return o.wireName().replace('_', ' ');
    }

    private static String css(Verdict.Outcome o) {
        switch (o) {
            case DELIVERED:
                return "ok";
            case PARTLY_DELIVERED:
                return "degraded";
            case NOT_DELIVERED:
                return "down";
            default:
                return "";
        }
    }
}
