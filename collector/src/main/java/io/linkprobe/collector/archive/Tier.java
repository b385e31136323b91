package io.linkprobe.collector.archive;

/**
 * The archive's two tiers. {@link #RAW}: every result as pushed, raw RTTs included, kept
 * {@code archive.raw_retention} (default 14 days) in day partitions by time of receipt.
 * {@link #HOURLY}: per site, target and hour a rollup (counts, loss per direction, an RTT sketch,
 * jitter, throughput tests, connect summaries), kept {@code archive.rollup_retention} (default
 * 400 days) in month partitions. Retention drops whole partitions.
 */
public enum Tier {
    RAW("raw"),
    HOURLY("hourly");

    private final String wireName;

    Tier(String wireName) {
        this.wireName = wireName;
    }

    /** As the history API names it. */
    public String wireName() {
        return wireName;
    }
}
