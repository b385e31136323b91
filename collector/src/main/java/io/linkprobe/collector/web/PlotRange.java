package io.linkprobe.collector.web;

import java.time.Duration;

/**
 * The spans a site page plots ({@code ?range=24h|7d|30d}): RTT, loss and connect time over the
 * span, throughput over the span but never less than a week (tests run every few hours, so a day
 * holds a handful).
 */
enum PlotRange {
    DAY("24h", "24 h", Duration.ofHours(24)),
    WEEK("7d", "7 days", Duration.ofDays(7)),
    MONTH("30d", "30 days", Duration.ofDays(30));

    static final PlotRange DEFAULT = DAY;
    private static final Duration MIN_THROUGHPUT_SPAN = Duration.ofDays(7);

    final String key;
    final String label;
    final Duration span;

    PlotRange(String key, String label, Duration span) {
        this.key = key;
        this.label = label;
        this.span = span;
    }

    Duration throughputSpan() {
        return span.compareTo(MIN_THROUGHPUT_SPAN) < 0 ? MIN_THROUGHPUT_SPAN : span;
    }

    String throughputLabel() {
        return throughputSpan().equals(span) ? label : WEEK.label;
    }

    /** The range a {@code range} query value names; the default for none. */
    static PlotRange parse(String value) {
        if (value == null || value.isEmpty()) {
            return DEFAULT;
        }
        for (PlotRange r : values()) {
            if (r.key.equals(value)) {
                return r;
            }
        }
        throw new IllegalArgumentException("The plot range must be 24h, 7d or 30d, not '" + value + "'.");
    }
}
