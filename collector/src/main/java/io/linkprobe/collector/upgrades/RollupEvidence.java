package io.linkprobe.collector.upgrades;

import io.linkprobe.collector.archive.Archive;
import io.linkprobe.collector.archive.ArchiveException;
import io.linkprobe.collector.archive.HourlyRollup;

/**
 * {@link UpgradeEvidence} from the archive's hourly tier ({@link Archive#rollups}), which covers the
 * 28 days before a cut-over and the 28 after it long after the raw tier's 14 days have gone. Read a
 * week at a time; a window counts the hours that start in it (hour granularity). The figures are
 * computed by {@link FiguresSum}.
 */
public final class RollupEvidence implements UpgradeEvidence {
    private static final long WEEK = 7 * 86_400_000L;

    private final Archive archive;

    public RollupEvidence(Archive archive) {
        this.archive = archive;
    }

    @Override
    public Figures figures(String site, long fromMillis, long toMillis) throws ArchiveException {
        FiguresSum sum = new FiguresSum();
        for (long from = fromMillis; from < toMillis; from += WEEK) {
            for (HourlyRollup h : archive.rollups(site, from, Math.min(toMillis, from + WEEK))) {
                sum.add(h);
            }
        }
        return sum.figures();
    }
}
