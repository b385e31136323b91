package io.linkprobe.collector.web;

import java.util.Comparator;
import java.util.function.Function;

/**
 * The sortable columns of the status table, each with its query name ({@code ?sort=}), its
 * heading, and the direction a first click sorts in: the one that puts the worst sites on top.
 * Sites without a value sort last in either direction; ties go by site name.
 */
enum SiteColumn {
    SITE("site", "Site", false, key(SiteRow::site)),
    REGION("region", "Region", false, key(SiteRow::region)),
    LINK("link", "Link", false, key(SiteRow::link)),
    /** Down, then degraded, then ok; within each, more loss first, then the longest silent. */
    HEALTH("health", "Health", true, null),
    /** Oldest first: a silent site is the one to look at. */
    LAST_SEEN("last_seen", "Last seen", false, key(r -> r.view().lastSeenEpochMillis())),
    RTT("rtt", "RTT p50", true, key(SiteRow::rttP50Seconds)),
    LOSS("loss", "Loss up / down", true, key(SiteRow::lossRatio)),
    /** By share of the contract, lowest first; sites without a contract or a good test last. */
    DOWN("down", "Down vs contract", false, key(r -> r.down() == null ? null : r.down().ratio())),
    UP("up", "Up vs contract", false, key(r -> r.up() == null ? null : r.up().ratio())),
    GRADE("grade", "Bufferbloat", true, key(SiteRow::worstGrade)),
    /** Not ready first, then marginal, then ready; within each, fewest concurrent calls first. */
    VIDEO("video", "Video calls", false, key(SiteRow::videoRank));

    static final SiteColumn DEFAULT = HEALTH;

    private static final Comparator<SiteRow> HEALTH_ORDER = Comparator.comparingInt(SiteRow::severity)
            .thenComparingDouble(r -> r.lossRatio() == null ? 0 : r.lossRatio())
            .thenComparingLong(r -> -r.view().lastSeenEpochMillis());
    private static final Comparator<SiteRow> BY_NAME = Comparator.comparing(SiteRow::site);

    final String key;
    final String heading;
    final boolean worstIsHighest;
    private final Key<?> value;

    SiteColumn(String key, String heading, boolean worstIsHighest, Key<?> value) {
        this.key = key;
        this.heading = heading;
        this.worstIsHighest = worstIsHighest;
        this.value = value;
    }

    static SiteColumn byKey(String key) {
        for (SiteColumn c : values()) {
            if (c.key.equals(key)) {
                return c;
            }
        }
        return null;
    }

    Comparator<SiteRow> order(boolean descending) {
        Comparator<SiteRow> primary;
        if (this == HEALTH) {
            primary = descending ? HEALTH_ORDER.reversed() : HEALTH_ORDER;
        } else {
            primary = (a, b) -> value.compare(a, b, descending);
        }
        return this == SITE ? primary : primary.thenComparing(BY_NAME);
    }

    private static <T extends Comparable<T>> Key<T> key(Function<SiteRow, T> value) {
        return new Key<>(value);
    }

    /** A column's value, compared with nulls last whichever the direction. */
    private record Key<T extends Comparable<T>>(Function<SiteRow, T> value) {
        int compare(SiteRow a, SiteRow b, boolean descending) {
            T x = value.apply(a);
            T y = value.apply(b);
            if (x == null || y == null) {
                return x == null ? (y == null ? 0 : 1) : -1;
            }
            int c = x.compareTo(y);
            return descending ? -c : c;
        }
    }
}
