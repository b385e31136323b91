package io.linkprobe.collector.upgrades;

import io.linkprobe.collector.archive.Archive;
import io.linkprobe.collector.archive.ArchiveException;
import io.linkprobe.collector.archive.Tier;
import java.time.Clock;

/**
 * The evidence verdicts read when the upgrade windows are not whole hours (minutes, as in the
 * compressed lab run): {@link RawEvidence} for a window that starts within the raw tier's retention
 * ({@link Archive#tierFor}), exact to the millisecond, and {@link RollupEvidence} for an older one,
 * to the hour (a window of minutes then holds no whole hour, and its verdict says
 * {@code insufficient_data}). Whole-hour windows (the default 28 d / 3 d / 28 d) read the rollups
 * alone, as they always did: exact at that granularity, and a week of rollups costs a fraction of
 * a week of raw results. Both compute their figures with {@link FiguresSum}.
 */
public final class TieredEvidence implements UpgradeEvidence {
    private final Archive archive;
    private final Clock clock;
    private final RawEvidence raw;
    private final RollupEvidence rollups;

    public TieredEvidence(Archive archive, Clock clock) {
        this.archive = archive;
        this.clock = clock;
        this.raw = new RawEvidence(archive);
        this.rollups = new RollupEvidence(archive);
    }

    @Override
    public Figures figures(String site, long fromMillis, long toMillis) throws ArchiveException {
        return tierFor(fromMillis) == Tier.RAW ? raw.figures(site, fromMillis, toMillis)
                : rollups.figures(site, fromMillis, toMillis);
    }

    /** The tier a window starting at {@code fromMillis} is read from, as of now. */
    public Tier tierFor(long fromMillis) {
        return archive.tierFor(fromMillis, clock.millis());
    }
}
