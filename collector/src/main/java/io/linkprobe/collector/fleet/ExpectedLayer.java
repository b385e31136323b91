package io.linkprobe.collector.fleet;

import io.linkprobe.common.config.SettingRules;

/** {@code expected:} a site's contracted rates in Mbit/s, as in {@code agent.yml}; merged key by key. */
public record ExpectedLayer(Double downMbps, Double upMbps) {
    public static final ExpectedLayer EMPTY = new ExpectedLayer(null, null);

    public ExpectedLayer {
        SettingRules.expectedRates(downMbps == null ? 0 : downMbps, upMbps == null ? 0 : upMbps);
    }

    public ExpectedLayer over(ExpectedLayer lower) {
        return new ExpectedLayer(downMbps != null ? downMbps : lower.downMbps, upMbps != null ? upMbps : lower.upMbps);
    }

    public boolean known() {
        return downMbps != null || upMbps != null;
    }
}
