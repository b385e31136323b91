package io.linkprobe.collector.upgrades;

import io.linkprobe.collector.archive.Archive;
import io.linkprobe.collector.archive.ArchiveException;
import io.linkprobe.collector.archive.HourlyRollup;
import io.linkprobe.collector.archive.RollupBuilder;
import io.linkprobe.collector.archive.StoredSample;
import java.util.List;

/**
 * {@link UpgradeEvidence} from the archive's raw tier, for windows the raw tier still holds: the
 * results that ended in exactly {@code [fromMillis, toMillis)}, summarised per hour in memory by
 * the rollup job's own {@link RollupBuilder} and summed by {@link FiguresSum}, so the figures are
 * computed as the hourly tier's would be, only without rounding the window to whole hours. That is
 * what windows shorter than an hour need (the compressed lab run, {@code lab/upgrade-check.sh}).
 * Read an hour at a time.
 */
public final class RawEvidence implements UpgradeEvidence {
    private static final long HOUR = 3_600_000L;
    /** One hour of one site: 3,600 one-second windows, connect summaries and tests are far fewer. */
    private static final int HOUR_LIMIT = 100_000;

    private final Archive archive;

    public RawEvidence(Archive archive) {
        this.archive = archive;
    }

    @Override
    public Figures figures(String site, long fromMillis, long toMillis) throws ArchiveException {
        FiguresSum sum = new FiguresSum();
        for (long from = fromMillis; from < toMillis; from += HOUR) {
            long to = Math.min(toMillis, from + HOUR);
            List<StoredSample> rows = archive.history(site, from, to, HOUR_LIMIT);
            if (rows.size() >= HOUR_LIMIT) {
                throw new ArchiveException("site " + site + " has more than " + HOUR_LIMIT
                        + " results in one hour; its upgrade figures would leave some out", null);
            }
            RollupBuilder hour = new RollupBuilder(site, from, to);
            for (StoredSample row : rows) {
                hour.add(row.sample());
            }
            for (HourlyRollup h : hour.rollups()) {
                sum.add(h);
            }
        }
        return sum.figures();
    }
}
