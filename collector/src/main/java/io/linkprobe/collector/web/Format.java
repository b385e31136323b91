package io.linkprobe.collector.web;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * How figures read on the pages: RTT in ms, rates in Mbit/s (what line contracts are sold in),
 * loss in %, times in UTC (NOC staff across regions share one clock). Plain text: escape the
 * result like any other text only if it embeds data, which these never do.
 */
final class Format {
    static final String NONE = "–";
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("MM-dd", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private Format() {}

    static String utc(long epochMillis) {
        return UTC.format(Instant.ofEpochMilli(epochMillis));
    }

    static String clock(long epochMillis) {
        return CLOCK.format(Instant.ofEpochMilli(epochMillis));
    }

    static String day(long epochMillis) {
        return DAY.format(Instant.ofEpochMilli(epochMillis));
    }

    /** "42 s ago", "12 min ago", "5 h ago", "3 d ago". */
    static String ago(long epochMillis, long nowMillis) {
        long seconds = Math.max(0, (nowMillis - epochMillis) / 1000);
        if (seconds < 90) {
            return seconds + " s ago";
        }
        if (seconds < 90 * 60) {
            return (seconds / 60) + " min ago";
        }
        if (seconds < 48 * 3600) {
            return (seconds / 3600) + " h ago";
        }
        return (seconds / 86_400) + " d ago";
    }

    static String millis(Double seconds) {
        return seconds == null ? NONE : number(seconds * 1000) + " ms";
    }

    /** Percent of a ratio, with more digits near zero where 0.05 % and 0.5 % differ in meaning. */
    static String percent(Double ratio) {
        if (ratio == null) {
            return NONE;
        }
        double p = ratio * 100;
        if (p == 0) {
            return "0 %";
        }
        return String.format(Locale.ROOT, p < 1 ? "%.2f %%" : p < 10 ? "%.1f %%" : "%.0f %%", p);
    }

    static String mbit(double bytesPerSecond) {
        return number(bytesPerSecond * 8 / 1e6);
    }

    /** Three significant figures at most, without trailing noise: 0.852, 12.3, 78.1, 940. */
    static String number(double v) {
        double a = Math.abs(v);
        String f = a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f";
        String s = String.format(Locale.ROOT, f, v);
        if (s.contains(".")) {
            s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return s;
    }
}
