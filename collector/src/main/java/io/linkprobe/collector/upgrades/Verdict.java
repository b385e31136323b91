package io.linkprobe.collector.upgrades;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whether an upgrade delivered, and why: the rule (README, "Did the upgrade deliver?") as one pure
 * function of the two sides' {@link Figures} and the new contracted rates.
 *
 * <ul>
 *   <li>{@code insufficient_data}: after the settle period fewer than {@link Rule#minTests} ok
 *       throughput tests in either direction or fewer than {@link Rule#minWindows} latency windows,
 *       or before the cut-over fewer than {@code minWindows} windows (nothing to compare latency
 *       with), or no contracted rate for a direction.
 *   <li>{@code not_delivered}: the median down or up rate after is below {@link Rule#failShare}
 *       (60 %) of its contracted rate.
 *   <li>{@code delivered}: median down and up at least {@link Rule#deliverShare} (90 %) of contract,
 *       RTT p95 not worse (after ≤ before × 1.1 + 2 ms), loss not worse in either direction
 *       (after ≤ before + 0.1 percentage point), and the bufferbloat grade A or B (when graded).
 *   <li>{@code partly_delivered}: everything else (rates between 60 % and 90 %, or rates met but
 *       latency, loss or bufferbloat worse).
 * </ul>
 */
public record Verdict(Outcome outcome, List<String> reasons) {

    public enum Outcome {
        DELIVERED, PARTLY_DELIVERED, NOT_DELIVERED, INSUFFICIENT_DATA, PENDING;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** For the {@code linkprobe_upgrade_verdict} gauge: 1 delivered … 0 insufficient data, -1 pending. */
        public int gaugeValue() {
            switch (this) {
                case DELIVERED:
                    return 1;
                case PARTLY_DELIVERED:
                    return 2;
                case NOT_DELIVERED:
                    return 3;
                case INSUFFICIENT_DATA:
                    return 0;
                default:
                    return -1;
            }
        }
    }

    /** The thresholds of the rule. */
    public record Rule(int minTests, long minWindows, double deliverShare, double failShare,
                       double rttFactor, double rttSlackMs, double lossSlack) {
        public static final Rule DEFAULT = new Rule(10, 100, 0.9, 0.6, 1.1, 2.0, 0.001);

        /** The default rule with other evidence minimums (collector.yml {@code upgrades.min_tests/min_windows}). */
        public Rule withMinimums(int tests, long windows) {
            return new Rule(tests, windows, deliverShare, failShare, rttFactor, rttSlackMs, lossSlack);
        }
    }

    public Verdict {
        reasons = List.copyOf(reasons);
    }

    public static Verdict decide(Figures before, Figures after, double contractDownMbps, double contractUpMbps) {
        return decide(before, after, contractDownMbps, contractUpMbps, Rule.DEFAULT);
    }

    public static Verdict decide(Figures before, Figures after, double contractDownMbps, double contractUpMbps,
                                 Rule rule) {
        List<String> missing = new ArrayList<>();
        if (contractDownMbps <= 0 || contractUpMbps <= 0) {
            missing.add("no contracted rate for " + (contractDownMbps <= 0 ? "down" : "up"));
        }
        if (after.downTests() < rule.minTests() || after.upTests() < rule.minTests()) {
            missing.add(String.format(Locale.ROOT, "after: %d down and %d up tests, %d each needed",
                    after.downTests(), after.upTests(), rule.minTests()));
        }
        if (after.windows() < rule.minWindows()) {
            missing.add("after: " + after.windows() + " latency windows, " + rule.minWindows() + " needed");
        }
        if (before.windows() < rule.minWindows()) {
            missing.add("before: " + before.windows() + " latency windows, " + rule.minWindows() + " needed");
        }
        if (!missing.isEmpty()) {
            return new Verdict(Outcome.INSUFFICIENT_DATA, missing);
        }
        double downShare = after.downMedianMbps() / contractDownMbps;
        double upShare = after.upMedianMbps() / contractUpMbps;
        List<String> failed = new ArrayList<>();
        if (downShare < rule.failShare() || upShare < rule.failShare()) {
            failed.add(String.format(Locale.ROOT, "median down %.0f %% and up %.0f %% of contract (below %.0f %%)",
                    downShare * 100, upShare * 100, rule.failShare() * 100));
            return new Verdict(Outcome.NOT_DELIVERED, failed);
        }
        if (downShare < rule.deliverShare() || upShare < rule.deliverShare()) {
            failed.add(String.format(Locale.ROOT, "median down %.0f %% and up %.0f %% of contract (below %.0f %%)",
                    downShare * 100, upShare * 100, rule.deliverShare() * 100));
        }
        if (after.rttP95Ms() > before.rttP95Ms() * rule.rttFactor() + rule.rttSlackMs()) {
            failed.add(String.format(Locale.ROOT, "RTT p95 worse: %.1f ms after, %.1f ms before",
                    after.rttP95Ms(), before.rttP95Ms()));
        }
        if (after.lossUp() > before.lossUp() + rule.lossSlack()
                || after.lossDown() > before.lossDown() + rule.lossSlack()) {
            failed.add(String.format(Locale.ROOT, "loss worse: up %.2f %% / down %.2f %% after, %.2f %% / %.2f %% before",
                    after.lossUp() * 100, after.lossDown() * 100, before.lossUp() * 100, before.lossDown() * 100));
        }
        if (after.grade() != null && after.grade().compareTo("B") > 0) {
            failed.add("bufferbloat grade " + after.grade() + " (A or B needed)");
        }
        return failed.isEmpty() ? new Verdict(Outcome.DELIVERED, List.of())
                : new Verdict(Outcome.PARTLY_DELIVERED, failed);
    }
}
