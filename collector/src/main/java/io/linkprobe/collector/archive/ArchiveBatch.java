package io.linkprobe.collector.archive;

import io.linkprobe.collector.archive.codec.PushCodec;
import io.linkprobe.common.wire.Sample;
import java.util.List;
import java.util.TreeSet;

/**
 * One push as the archive stores it: its idempotency key {@code (agentId, sequence)}, the site it
 * was accepted for, and its samples encoded ({@link PushCodec}) by the thread that accepted it, so
 * that the single writer only writes. Key and samples are one row of the raw tier.
 *
 * @param identityJson the agent identity as pushed, kept per site to list sites after a restart
 * @param firstEndMillis the earliest end time among the samples (the receipt time if none)
 * @param lastEndMillis the latest
 * @param kinds the kinds present, as {@link PushCodec#kindBit} bits
 * @param hours the UTC hours (start, ms) the samples ended in: the hours to roll up again
 * @param data the samples, {@link PushCodec#encode}
 */
public record ArchiveBatch(
        String site,
        String agentId,
        long sequence,
        long receivedMillis,
        String identityJson,
        int sampleCount,
        long firstEndMillis,
        long lastEndMillis,
        int kinds,
        long[] hours,
        byte[] data) {

    static final long HOUR_MILLIS = 3_600_000L;

    public static ArchiveBatch of(String site, String agentId, long sequence, long receivedMillis, String identityJson,
            List<? extends Sample> samples) {
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        int kinds = 0;
        TreeSet<Long> hours = new TreeSet<>();
        for (Sample s : samples) {
            first = Math.min(first, s.endEpochMillis());
            last = Math.max(last, s.endEpochMillis());
            kinds |= PushCodec.kindBit(s.kind());
            hours.add(Math.floorDiv(s.endEpochMillis(), HOUR_MILLIS) * HOUR_MILLIS);
        }
        if (samples.isEmpty()) {
            first = receivedMillis;
            last = receivedMillis;
        }
        return new ArchiveBatch(site, agentId, sequence, receivedMillis, identityJson, samples.size(), first, last,
                kinds, hours.stream().mapToLong(Long::longValue).toArray(), PushCodec.encode(samples));
    }

    /** Roughly what the batch occupies while queued, to bound the write queue in bytes. */
    public long approximateBytes() {
        return 256 + identityJson.length() + data.length + 8L * hours.length;
    }

    /** The raw partition the push goes to: the UTC day it was received. */
    Partition partition() {
        return Partition.raw(receivedMillis);
    }
}
