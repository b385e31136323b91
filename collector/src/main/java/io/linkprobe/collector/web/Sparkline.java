package io.linkprobe.collector.web;

import io.linkprobe.collector.sites.DaySeries;

/**
 * A site's last 24 h in 120 × 28 px of inline SVG: the RTT p50 line scaled to its own maximum
 * (the shape matters at a glance, the table has the figure) and red ticks along the bottom where
 * packets were lost, taller for more loss (full height at 5 %). Gaps in the data stay gaps.
 */
final class Sparkline {
    static final int WIDTH = 120;
    static final int HEIGHT = 28;
    private static final double LOSS_FULL_SCALE = 0.05;
    private static final int LOSS_BAND = 8;

    private Sparkline() {}

    static void append(StringBuilder out, DaySeries.Points points) {
        if (points == null || points.isEmpty()) {
            out.append("<span class=\"small\">no data</span>");
            return;
        }
        double[] rtt = points.rttP50Seconds();
        double[] loss = points.lossRatio();
        int n = rtt.length;
        double max = 0;
        double min = Double.POSITIVE_INFINITY;
        double maxLoss = 0;
        for (int i = 0; i < n; i++) {
            if (!Double.isNaN(rtt[i])) {
                max = Math.max(max, rtt[i]);
                min = Math.min(min, rtt[i]);
            }
            if (!Double.isNaN(loss[i])) {
                maxLoss = Math.max(maxLoss, loss[i]);
            }
        }
        double step = (double) WIDTH / n;
        double top = 2;
        double bottom = HEIGHT - LOSS_BAND - 2;
        out.append("<svg class=\"spark\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
                .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" role=\"img\"><title>RTT p50, last 24 h: ")
                .append(max == 0 ? "no replies" : Format.millis(min) + " – " + Format.millis(max))
                .append("; worst loss ").append(Format.percent(maxLoss)).append("</title>")
                .append("<rect width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT).append("\" fill=\"#f1f3f5\"/>");
        StringBuilder bars = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (!Double.isNaN(loss[i]) && loss[i] > 0) {
                double h = Math.max(1.5, Math.min(1, loss[i] / LOSS_FULL_SCALE) * LOSS_BAND);
                bars.append('M').append(fixed(i * step)).append(' ').append(HEIGHT).append('v').append(fixed(-h))
                        .append('h').append(fixed(step)).append('v').append(fixed(h)).append('z');
            }
        }
        if (bars.length() > 0) {
            out.append("<path d=\"").append(bars).append("\" fill=\"#c62828\"/>");
        }
        StringBuilder path = new StringBuilder();
        boolean drawing = false;
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(rtt[i])) {
                drawing = false;
                continue;
            }
            double x = (i + 0.5) * step;
            double y = max == 0 ? bottom : bottom - (bottom - top) * rtt[i] / max;
            boolean alone = (i == 0 || Double.isNaN(rtt[i - 1])) && (i == n - 1 || Double.isNaN(rtt[i + 1]));
            if (alone) {
                out.append("<circle cx=\"").append(fixed(x)).append("\" cy=\"").append(fixed(y))
                        .append("\" r=\"1.2\" fill=\"#0b4f9c\"/>");
            }
            path.append(drawing ? 'L' : 'M').append(fixed(x)).append(' ').append(fixed(y));
            drawing = true;
        }
        if (path.length() > 0) {
            out.append("<path d=\"").append(path).append("\" fill=\"none\" stroke=\"#0b4f9c\" stroke-width=\"1.3\"/>");
        }
        out.append("</svg>");
    }

    /** One decimal, without String.format's cost: a page draws ~40,000 coordinates. */
    static String fixed(double v) {
        long tenths = Math.abs(Math.round(v * 10));
        return (v < -0.05 ? "-" : "") + tenths / 10 + "." + tenths % 10;
    }
}
