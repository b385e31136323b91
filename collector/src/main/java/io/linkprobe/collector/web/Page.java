package io.linkprobe.collector.web;

import io.linkprobe.collector.http.Reply;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;

/**
 * The frame shared by the HTML pages: head, inline style sheet, and the headers every page gets.
 * The pages run no script at all, so the Content-Security-Policy forbids any: should a value ever
 * slip past {@link Html#escape}, an injected {@code <script>} still does not run.
 */
final class Page {
    static final String CONTENT_SECURITY_POLICY =
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'";

    private static final String STYLE = """
            :root { color-scheme: light; }
            body { font: 15px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a;
              background: #fff; margin: 0 1.5rem 2rem; }
            header { display: flex; gap: 1.5rem; align-items: baseline; border-bottom: 2px solid #d0d4da;
              margin-bottom: .8rem; }
            header h1 { font-size: 1.3rem; margin: .6rem 0; }
            header a, a { color: #0b4f9c; }
            h2 { font-size: 1.1rem; margin: 1.4rem 0 .4rem; }
            /* Tables fit a 1280-px screen (PageWidthTest): cells keep to one line while the table
               fits, and when it does not, wrap where a break reads well: headings between words,
               times between date and clock, pairs of figures between the figures (each figure's
               own spaces are non-breaking), badges between words. */
            table { border-collapse: collapse; font-variant-numeric: tabular-nums; font-size: .93rem; }
            th, td { padding: .3rem .45rem; text-align: left; vertical-align: top; border-bottom: 1px solid #e3e6ea;
              white-space: nowrap; }
            td .wrap, td.wrap, td.time, td.pair, td .badge { white-space: normal; }
            td .wrap, td.wrap { overflow-wrap: anywhere; }
            td.wrap { min-width: 8em; max-width: 32em; }
            /* Names an agent or an operator chose (sites, targets, labels) may be 64 characters
               without a space: they wrap anywhere rather than push the table off the screen. */
            .name { white-space: normal; overflow-wrap: anywhere; }
            td.name { min-width: 5em; }
            th { background: #eef1f4; position: sticky; top: 0; white-space: normal; }
            th a { color: #1a1a1a; text-decoration: none; }
            th a:hover { text-decoration: underline; }
            td.num, th.num { text-align: right; }
            tbody tr:nth-child(even) { background: #f8f9fa; }
            .small { font-size: .82rem; color: #555; }
            .badge { display: inline-block; min-width: 5.5em; text-align: center; border-radius: 3px;
              padding: 0 .4em; font-weight: 600; }
            .ok { background: #d4edda; color: #14532d; }
            .degraded { background: #fff1c2; color: #6b4e00; }
            .down { background: #f8d0d0; color: #7f1010; }
            .bad { color: #b00020; font-weight: 600; }
            .warn { color: #8a5a00; font-weight: 600; }
            .good { color: #14632d; }
            form.filters { display: flex; gap: 1rem; align-items: end; flex-wrap: wrap; margin: .5rem 0; }
            form.filters label { display: flex; flex-direction: column; font-size: .85rem; }
            .pager { margin: .6rem 0; }
            .pager a, .pager span { margin-right: 1rem; }
            .legend span { margin-right: 1.2rem; white-space: nowrap; }
            .legend i { display: inline-block; width: 1.4em; height: .25em; vertical-align: middle; margin-right: .3em; }
            svg.plot { display: block; background: #fff; }
            svg.plot text { font: 11px system-ui, sans-serif; fill: #444; }
            dl.facts { display: grid; grid-template-columns: max-content auto; gap: .15rem 1rem; }
            dl.facts dt { color: #555; }
            dl.facts dd { margin: 0; }
            """;

    private Page() {}

    /** The document up to and including the header bar; the caller appends the body and {@link #end}. */
    static StringBuilder start(String title, int capacity) {
        return start(title, capacity, 0);
    }

    /** @param refreshSeconds reload the page this often (a NOC wall screen); 0 for never */
    static StringBuilder start(String title, int capacity, int refreshSeconds) {
        return new StringBuilder(capacity)
                .append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append(refreshSeconds > 0 ? "<meta http-equiv=\"refresh\" content=\"" + refreshSeconds + "\">" : "")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>").append(Html.escape(title)).append("</title>\n<style>").append(STYLE)
                .append("</style></head>\n<body>\n<header><h1><a href=\"/\">linkprobe</a></h1>")
                .append("<a href=\"/upgrades\">upgrades</a><a href=\"/metrics\">/metrics</a>")
                .append("<a href=\"/api/v1/sites\">/api/v1/sites</a></header>\n");
    }

    static String end(StringBuilder page) {
        return page.append("</body></html>\n").toString();
    }

    static Reply reply(HttpResponseStatus status, String html) {
        return Reply.of(status, Reply.HTML, html.getBytes(StandardCharsets.UTF_8))
                .withHeader("Cache-Control", "no-store")
                .withHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .withHeader("X-Content-Type-Options", "nosniff");
    }

    /** A small page saying what in the request is wrong (one sentence, escaped). */
    static Reply badRequest(String problem) {
        StringBuilder page = start("bad request", 4096)
                .append("<h2>Bad request</h2>\n<p>").append(Html.escape(problem)).append("</p>\n")
                .append("<p><a href=\"/\">All sites</a></p>\n");
        return reply(HttpResponseStatus.BAD_REQUEST, end(page));
    }

    /** A small page saying what was not found, with the (escaped) thing asked for. */
    static Reply notFound(String what) {
        StringBuilder page = start("not found", 4096)
                .append("<h2>Not found</h2>\n<p>").append(Html.escape(what)).append("</p>\n")
                .append("<p><a href=\"/\">All sites</a></p>\n");
        return reply(HttpResponseStatus.NOT_FOUND, end(page));
    }
}
