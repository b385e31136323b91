package io.linkprobe.collector.archive;

import java.time.Duration;

/**
 * How long each tier keeps what it holds: raw results {@code raw} (default 14 days), hourly
 * rollups {@code rollup} (default 400 days: a year and the months around an upgrade). A partition
 * is dropped once all of it is older, so a tier holds up to one partition (a day, a month) more.
 */
public record ArchiveRetention(Duration raw, Duration rollup) {
    public static final Duration DEFAULT_RAW = Duration.ofDays(14);
    public static final Duration DEFAULT_ROLLUP = Duration.ofDays(400);
    public static final ArchiveRetention DEFAULT = new ArchiveRetention(DEFAULT_RAW, DEFAULT_ROLLUP);

    public ArchiveRetention {
        if (raw.compareTo(Duration.ofHours(1)) < 0 || rollup.compareTo(raw) < 0) {
            throw new IllegalArgumentException("raw retention must be at least 1h and rollup retention at least as long");
        }
    }

    /** How many partitions of both tiers exist at most: a day more than the raw retention, a month more than the rollup's. */
    public long maxPartitions() {
        return raw.toDays() + 3 + rollup.toDays() / 28 + 2;
    }
}
