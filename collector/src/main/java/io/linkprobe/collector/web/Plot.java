package io.linkprobe.collector.web;

import java.util.ArrayList;
import java.util.List;

/**
 * A time plot as inline SVG with an HTML legend: lines over a UTC time axis from 0 to a round
 * maximum, optional horizontal reference lines (a contract), markers for sparse series. Values are
 * in the unit shown (ms, %, Mbit/s); series names are escaped.
 *
 * <pre>
 * new Plot(from, to, "ms", 180_000).line("hub p50", Plot.color(0), false, times, values).html(760, 200)
 * </pre>
 */
final class Plot {
    private static final String[] PALETTE = {"#0b4f9c", "#c05600", "#2e7d32", "#6a1b9a", "#00838f", "#ad1457"};
    /** p50 lines: cool, dark hues, one per target. */
    private static final String[] P50 = {"#0b4f9c", "#00838f", "#2e7d32", "#283593", "#37474f", "#4e342e"};
    /** p90 lines: warm hues, none shared with a p50, so a p90 is never mistaken for a p50. */
    private static final String[] P90 = {"#e65100", "#ad1457", "#c62828", "#6a1b9a", "#f9a825", "#8d6e63"};
    /** Contract lines (down, up): grey tones no measured series uses. */
    private static final String[] CONTRACT = {"#5f6b7a", "#9aa5b1"};
    private static final long HOUR = 3_600_000L;
    private static final long[] TICK_STEPS = {HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, 24 * HOUR, 48 * HOUR, 96 * HOUR};
    private static final int LEFT = 48;
    private static final int RIGHT = 10;
    private static final int TOP = 18;
    private static final int BOTTOM = 20;

    private record Series(String name, String color, boolean dashed, boolean markers, long[] times, double[] values) {}

    private record Reference(String name, String color, double value) {}

    private final long fromMillis;
    private final long toMillis;
    private final String unit;
    private final long gapMillis;
    private final List<Series> series = new ArrayList<>();
    private final List<Reference> references = new ArrayList<>();

    /** @param gapMillis points further apart than this are not joined: the data has a hole there */
    Plot(long fromMillis, long toMillis, String unit, long gapMillis) {
        this.fromMillis = fromMillis;
        this.toMillis = toMillis;
        this.unit = unit;
        this.gapMillis = gapMillis;
    }

    static String color(int i) {
        return PALETTE[Math.floorMod(i, PALETTE.length)];
    }

    static String p50Color(int target) {
        return P50[Math.floorMod(target, P50.length)];
    }

    static String p90Color(int target) {
        return P90[Math.floorMod(target, P90.length)];
    }

    static String contractColor(int direction) {
        return CONTRACT[Math.floorMod(direction, CONTRACT.length)];
    }

    /** Adds a series; {@code times} ascending, NaN values skipped. */
    Plot line(String name, String color, boolean dashed, long[] times, double[] values) {
        series.add(new Series(name, color, dashed, false, times, values));
        return this;
    }

    Plot points(String name, String color, long[] times, double[] values) {
        series.add(new Series(name, color, false, true, times, values));
        return this;
    }

    Plot reference(String name, String color, double value) {
        references.add(new Reference(name, color, value));
        return this;
    }

    boolean isEmpty() {
        for (Series s : series) {
            for (double v : s.values) {
                if (!Double.isNaN(v)) {
                    return false;
                }
            }
        }
        return true;
    }

    String html(int width, int height) {
        StringBuilder out = new StringBuilder(4096);
        out.append("<div class=\"legend small\">");
        for (Series s : series) {
            out.append("<span><i style=\"background:").append(s.color).append("\"></i>")
                    .append(Html.escape(s.name)).append(s.dashed ? " (dashed)" : "").append("</span>");
        }
        for (Reference r : references) {
            out.append("<span><i style=\"background:").append(r.color).append("\"></i>")
                    .append(Html.escape(r.name)).append(" (dotted): ").append(Format.number(r.value)).append(' ')
                    .append(Html.escape(unit)).append("</span>");
        }
        out.append("</div>\n");
        if (isEmpty()) {
            return out.append("<p class=\"small\">No data in this period.</p>\n").toString();
        }
        double max = 0;
        for (Series s : series) {
            for (double v : s.values) {
                if (!Double.isNaN(v)) {
                    max = Math.max(max, v);
                }
            }
        }
        for (Reference r : references) {
            max = Math.max(max, r.value);
        }
        // Grid lines at a round step (1, 2 or 5 × 10^k), two to five of them.
        // A little headroom so that a series at a contract line stays visible above it.
        double yStep = niceCeiling(max * 1.05 / 4);
        double yMax = yStep * Math.max(1, Math.ceil(max * 1.05 / yStep));
        Frame f = new Frame(width - LEFT - RIGHT, height - TOP - BOTTOM, yMax, yStep);
        out.append("<svg class=\"plot\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height).append("\" role=\"img\">");
        axes(out, f);
        for (Reference r : references) {
            String y = Sparkline.fixed(f.y(r.value));
            out.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(LEFT + f.w).append("\" y1=\"").append(y)
                    .append("\" y2=\"").append(y).append("\" stroke=\"").append(r.color)
                    .append("\" stroke-width=\"1.5\" stroke-dasharray=\"2 3\"/>");
        }
        for (Series s : series) {
            draw(out, f, s);
        }
        return out.append("</svg>\n").toString();
    }

    private void axes(StringBuilder out, Frame f) {
        for (int i = 0; i * f.yStep <= f.yMax * 1.000_001; i++) {
            double v = i * f.yStep;
            String y = Sparkline.fixed(f.y(v));
            out.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(LEFT + f.w).append("\" y1=\"").append(y)
                    .append("\" y2=\"").append(y).append("\" stroke=\"").append(i == 0 ? "#888" : "#e3e6ea")
                    .append("\"/><text x=\"").append(LEFT - 4).append("\" y=\"").append(y)
                    .append("\" dy=\"4\" text-anchor=\"end\">").append(Format.number(v)).append("</text>");
        }
        out.append("<text x=\"4\" y=\"").append(TOP - 6).append("\">").append(Html.escape(unit)).append("</text>");
        long span = toMillis - fromMillis;
        long step = TICK_STEPS[TICK_STEPS.length - 1];
        for (long candidate : TICK_STEPS) {
            if (span / candidate <= 8) {
                step = candidate;
                break;
            }
        }
        for (long t = (fromMillis / step + 1) * step; t < toMillis; t += step) {
            String x = Sparkline.fixed(f.x(t));
            out.append("<line x1=\"").append(x).append("\" x2=\"").append(x).append("\" y1=\"").append(TOP)
                    .append("\" y2=\"").append(TOP + f.h).append("\" stroke=\"#f0f1f3\"/><text x=\"").append(x)
                    .append("\" y=\"").append(TOP + f.h + 14).append("\" text-anchor=\"middle\">")
                    .append(step >= 24 * HOUR || t % (24 * HOUR) == 0 ? Format.day(t) : Format.clock(t))
                    .append("</text>");
        }
    }

    private void draw(StringBuilder out, Frame f, Series s) {
        StringBuilder path = new StringBuilder();
        long previous = Long.MIN_VALUE;
        for (int i = 0; i < s.times.length; i++) {
            if (Double.isNaN(s.values[i]) || s.times[i] < fromMillis || s.times[i] > toMillis) {
                continue;
            }
            String x = Sparkline.fixed(f.x(s.times[i]));
            String y = Sparkline.fixed(f.y(s.values[i]));
            boolean joined = previous != Long.MIN_VALUE && s.times[i] - previous <= gapMillis;
            path.append(joined ? 'L' : 'M').append(x).append(' ').append(y);
            if (s.markers) {
                out.append("<circle cx=\"").append(x).append("\" cy=\"").append(y).append("\" r=\"3\" fill=\"")
                        .append(s.color).append("\"/>");
            }
            previous = s.times[i];
        }
        if (path.length() > 0) {
            out.append("<path d=\"").append(path).append("\" fill=\"none\" stroke=\"").append(s.color)
                    .append("\" stroke-width=\"1.4\"").append(s.dashed ? " stroke-dasharray=\"5 3\"" : "")
                    .append(" stroke-linejoin=\"round\"/>");
        }
    }

    /** 1, 2 or 5 times a power of ten, at or above {@code v}; 0.25 for nothing to show. */
    static double niceCeiling(double v) {
        if (!(v > 0)) {
            return 0.25;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * magnitude >= v * 0.999_999) {
                return m * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private final class Frame {
        final int w;
        final int h;
        final double yMax;
        final double yStep;

        Frame(int w, int h, double yMax, double yStep) {
            this.w = w;
            this.h = h;
            this.yMax = yMax;
            this.yStep = yStep;
        }

        double x(long t) {
            return LEFT + (double) w * (t - fromMillis) / Math.max(1, toMillis - fromMillis);
        }

        double y(double v) {
            return TOP + h - h * v / yMax;
        }
    }
}
