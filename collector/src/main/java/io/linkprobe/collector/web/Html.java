package io.linkprobe.collector.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * HTML escaping for text and attribute values (always double-quoted), and percent-encoding for the
 * parts of URLs built from data. A URL put in an attribute is encoded first, then escaped.
 */
public final class Html {
    private Html() {}

    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * {@code figure} with its spaces made non-breaking, so that a cell allowed to wrap between
     * figures ("78.1 / 80 Mbit/s, 98 %") never splits a number from its unit. Plain text in, plain
     * text out: escape it like any other if it carries data.
     */
    public static String keep(String figure) {
        return figure.replace(' ', '\u00a0');
    }

    /** {@code value} as one path segment: '/' and everything else outside the unreserved set encoded. */
    public static String pathSegment(String value) {
        // URLEncoder is for forms: it writes a space as '+', which in a path is a literal plus.
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** {@code value} as a query parameter value. */
    public static String queryValue(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
