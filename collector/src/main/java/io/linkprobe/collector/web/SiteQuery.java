package io.linkprobe.collector.web;

import io.linkprobe.collector.http.Request;
import java.util.Locale;

/**
 * What the status table shows, from the query string: filters ({@code region}, {@code link},
 * {@code health}, {@code q} = part of the site name), order ({@code sort}, {@code dir}) and
 * {@code page}. Anything unparseable falls back to the default rather than failing: these URLs are
 * typed and bookmarked by people. {@link #href} writes a query back, so links keep the filters.
 *
 * @param page 1-based
 */
record SiteQuery(String region, String link, String health, String text, SiteColumn sort, boolean descending,
        int page) {
    static final SiteQuery DEFAULT = new SiteQuery(null, null, null, null, SiteColumn.DEFAULT,
            SiteColumn.DEFAULT.worstIsHighest, 1);

    static SiteQuery of(Request request) {
        SiteColumn sort = SiteColumn.byKey(request.param("sort"));
        if (sort == null) {
            sort = SiteColumn.DEFAULT;
        }
        String dir = request.param("dir");
        boolean descending = "desc".equals(dir) || (!"asc".equals(dir) && sort.worstIsHighest);
        return new SiteQuery(blankToNull(request.param("region")), blankToNull(request.param("link")),
                blankToNull(request.param("health")), blankToNull(request.param("q")), sort, descending,
                page(request.param("page")));
    }

    boolean matches(SiteRow row) {
        return (region == null || region.equals(row.region()))
                && (link == null || link.equals(row.link()))
                && (health == null || health.equals(row.view().health()))
                && (text == null || row.site().toLowerCase(Locale.ROOT).contains(text.toLowerCase(Locale.ROOT)));
    }

    boolean filtered() {
        return region != null || link != null || health != null || text != null;
    }

    SiteQuery sortedBy(SiteColumn column) {
        // A second click on the current column flips it; a first click sorts worst first.
        boolean desc = column == sort ? !descending : column.worstIsHighest;
        return new SiteQuery(region, link, health, text, column, desc, 1);
    }

    SiteQuery onPage(int newPage) {
        return new SiteQuery(region, link, health, text, sort, descending, newPage);
    }

    SiteQuery withHealth(String newHealth) {
        return new SiteQuery(region, link, newHealth, text, sort, descending, 1);
    }

    /** This query as a URL of the status page, percent-encoded; escape it before putting it in HTML. */
    String href() {
        StringBuilder q = new StringBuilder();
        param(q, "region", region);
        param(q, "link", link);
        param(q, "health", health);
        param(q, "q", text);
        if (sort != SiteColumn.DEFAULT || descending != sort.worstIsHighest) {
            param(q, "sort", sort.key);
            param(q, "dir", descending ? "desc" : "asc");
        }
        if (page > 1) {
            param(q, "page", Integer.toString(page));
        }
        return q.length() == 0 ? "/" : "/?" + q;
    }

    private static void param(StringBuilder q, String name, String value) {
        if (value != null) {
            q.append(q.length() == 0 ? "" : "&").append(name).append('=').append(Html.queryValue(value));
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static int page(String s) {
        try {
            return s == null ? 1 : Math.max(1, Integer.parseInt(s.strip()));
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
