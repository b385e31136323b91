package io.linkprobe.collector.upgrades;

/**
 * One upgraded site in the programme view: its latest cut-over, the two windows compared, their
 * figures and the verdict ({@code pending} until the after window has ended).
 */
public record SiteUpgrade(String site, String region, CutOver cutOver, long beforeFromMillis, long afterFromMillis,
                          long afterToMillis, Figures before, Figures after, Verdict verdict) {}
