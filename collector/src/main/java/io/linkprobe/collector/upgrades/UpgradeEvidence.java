package io.linkprobe.collector.upgrades;

import io.linkprobe.collector.archive.ArchiveException;

/**
 * The one place the upgrade verdicts read measurements from: a site's {@link Figures} over
 * {@code [fromMillis, toMillis)}. Today {@link RawEvidence} computes them from the raw results;
 * an implementation over hourly rollups replaces it without touching the verdicts.
 */
public interface UpgradeEvidence {
    Figures figures(String site, long fromMillis, long toMillis) throws ArchiveException;
}
