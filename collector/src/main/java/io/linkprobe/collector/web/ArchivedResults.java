package io.linkprobe.collector.web;

import io.linkprobe.collector.archive.Archive;
import io.linkprobe.collector.archive.ArchiveException;
import io.linkprobe.collector.archive.HourlyRollup;
import io.linkprobe.collector.archive.StoredSample;
import io.linkprobe.collector.archive.Tier;
import io.linkprobe.collector.sites.SiteRegistry;
import io.linkprobe.common.wire.ConnectResult;
import io.linkprobe.common.wire.LatencyWindow;
import io.linkprobe.common.wire.Sample;
import io.linkprobe.common.wire.ThroughputResult;
import io.linkprobe.common.wire.VideoResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A site's archived raw results as wire records, newest first, for the pages. */
final class ArchivedResults {
    static final Duration DAY = Duration.ofHours(24);
    /** 24 h of 60 s windows towards 7 targets; a site probing more shows its newest windows only. */
    static final int MAX_WINDOWS = 10_080;
    /** Agents may run a little ahead of the collector's clock; their newest results still count. */
    private static final long FUTURE_MILLIS = 10 * 60_000L;

    private final Archive archive;

    ArchivedResults(Archive archive) {
        this.archive = archive;
    }

    /** Latency windows of the 24 h before {@code nowMillis}, at most {@code limit}. */
    List<LatencyWindow> windows(String site, long nowMillis, int limit) throws ArchiveException {
        return windows(site, nowMillis - DAY.toMillis(), nowMillis + FUTURE_MILLIS, limit);
    }

    /** Latency windows that ended in {@code [fromMillis, toMillis)}, newest first, at most {@code limit}. */
    List<LatencyWindow> windows(String site, long fromMillis, long toMillis, int limit) throws ArchiveException {
        return of(archive.recent(site, Sample.Kind.LATENCY, fromMillis, toMillis, limit), LatencyWindow.class);
    }

    List<ThroughputResult> tests(String site, long nowMillis, Duration span, int limit) throws ArchiveException {
        return of(archive.recent(site, Sample.Kind.THROUGHPUT, nowMillis - span.toMillis(),
                nowMillis + FUTURE_MILLIS, limit), ThroughputResult.class);
    }

    List<VideoResult> videos(String site, long nowMillis, Duration span, int limit) throws ArchiveException {
        return of(archive.recent(site, Sample.Kind.VIDEO, nowMillis - span.toMillis(),
                nowMillis + FUTURE_MILLIS, limit), VideoResult.class);
    }

    List<ConnectResult> connects(String site, long nowMillis, int limit) throws ArchiveException {
        return connects(site, nowMillis - DAY.toMillis(), nowMillis + FUTURE_MILLIS, limit);
    }

    List<ConnectResult> connects(String site, long fromMillis, long toMillis, int limit) throws ArchiveException {
        return of(archive.recent(site, Sample.Kind.CONNECT, fromMillis, toMillis, limit), ConnectResult.class);
    }

    /** The tier that holds results from {@code fromMillis} on. */
    Tier tierFor(long fromMillis, long nowMillis) {
        return archive.tierFor(fromMillis, nowMillis);
    }

    /** Hourly rollups of the hours that start in {@code [fromMillis, toMillis)}, by hour then target. */
    List<HourlyRollup> rollups(String site, long fromMillis, long toMillis) throws ArchiveException {
        return archive.rollups(site, fromMillis, toMillis);
    }

    /**
     * Fills the site's in-memory 24 h series from the archive once (after a restart it holds only
     * what arrived since), from {@code windows} if the caller has read them already.
     */
    void refillDay(SiteRegistry sites, String site, long nowMillis, List<LatencyWindow> windows)
            throws ArchiveException {
        if (!sites.dayFromArchive(site)) {
            sites.fillDay(site, windows != null ? windows : windows(site, nowMillis, MAX_WINDOWS), nowMillis);
        }
    }

    /** The samples of one kind, which the archive selected by kind: each is of {@code type}. */
    private static <T extends Sample> List<T> of(List<StoredSample> rows, Class<T> type) {
        List<T> samples = new ArrayList<>(rows.size());
        for (StoredSample row : rows) {
            samples.add(type.cast(row.sample()));
        }
        return samples;
    }
}
