package io.linkprobe.collector.web;

import java.util.Locale;

/**
 * The status page's line about throughput tests on the responder pool: how much of it the fleet's
 * schedule takes, how many tests the responders turned away as busy, and, when the pool is too
 * small, that periods are stretched and what to do about it.
 *
 * @param sites sites with a plan
 * @param tests sites with scheduled throughput tests
 * @param demandRatio scheduled test-seconds over what the pool can run, before stretching
 * @param stretch the factor periods are stretched by (1 = as asked)
 * @param unplaced tests that got no slot at all
 * @param busyAnswers busy answers agents reported (linkprobe_throughput_tests_total{result="busy"}, all sites)
 */
public record PoolNote(int sites, int tests, int responders, double demandRatio, double stretch, int unplaced,
        double busyAnswers) {
    public static final PoolNote NONE = new PoolNote(0, 0, 0, 0, 1, 0, 0);

    void render(StringBuilder out) {
        if (tests == 0 && busyAnswers == 0) {
            return;
        }
        boolean over = demandRatio > 1 || stretch > 1 || unplaced > 0;
        out.append("<p class=\"summary\">").append(over ? "<span class=\"warn\">" : "")
                .append(String.format(Locale.ROOT, "Scheduled tests (throughput, video): %d of %d placed for %d sites on "
                        + "%d responder%s, test demand %.2f of the pool", tests - unplaced, tests, sites, responders,
                        responders == 1 ? "" : "s", demandRatio))
                .append(over ? "</span>" : "");
        if (stretch > 1) {
            out.append(String.format(Locale.ROOT, "; <strong>more than the pool can run, so every period is stretched "
                    + "x%.2f</strong> (4h becomes %.1fh)", stretch, 4 * stretch));
        }
        if (unplaced > 0) {
            out.append("; <strong>").append(unplaced).append(" tests got no slot at all</strong>");
        }
        if (over) {
            out.append(". Add responders to the pool, raise their max_concurrent_tests or max_mbps where the hubs allow, "
                    + "or lengthen throughput.every or video.every in the fleet file; <code>plan simulate</code> shows the effect");
        }
        out.append(String.format(Locale.ROOT, ". %.0f busy answer%s from responders since the collector started.</p>%n",
                busyAnswers, busyAnswers == 1 ? "" : "s"));
    }
}
