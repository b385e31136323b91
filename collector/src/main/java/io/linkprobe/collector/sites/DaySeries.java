package io.linkprobe.collector.sites;

import io.linkprobe.common.wire.LatencyWindow;
import java.util.Arrays;

/**
 * A site's last 24 h of latency in 15-minute buckets, kept in memory for the status page's
 * sparklines: the archive holds every window, but reading 24 h of windows (each with its ~300 raw
 * RTTs) for the 200 sites of one page would read about a gigabyte. 96 buckets cost ~2 KiB per
 * site that has sent a latency window (~20 MiB for 10,000).
 *
 * <p>Each bucket holds the mean of the RTT p50s of the windows that ended in it (across targets)
 * and the packets sent and lost, so a bucket's loss is a proper ratio. A window replayed late from
 * an agent's spool lands in the bucket of its measurement time, if that is still within 24 h.
 * Not thread-safe: guarded by the owning {@link Site}'s monitor.
 */
public final class DaySeries {
    public static final long BUCKET_MILLIS = 15 * 60_000L;
    public static final int BUCKETS = 96;

    /**
     * The absolute bucket number ({@code endMillis / BUCKET_MILLIS}) each slot holds, or -1. An int
     * (to the year 6000) rather than a long: this is 10,000 sites × 96 slots.
     */
    private final int[] slotBucket = new int[BUCKETS];
    private final float[] p50SumMicros = new float[BUCKETS];
    private final int[] p50Count = new int[BUCKETS];
    private final int[] sent = new int[BUCKETS];
    private final int[] lost = new int[BUCKETS];

    DaySeries() {
        Arrays.fill(slotBucket, -1);
    }

    void add(LatencyWindow w, long nowMillis) {
        int bucket = (int) (w.endEpochMillis() / BUCKET_MILLIS);
        int newest = (int) (nowMillis / BUCKET_MILLIS);
        if (bucket <= newest - BUCKETS || bucket > newest) {
            return;
        }
        int slot = bucket % BUCKETS;
        if (slotBucket[slot] != bucket) {
            if (slotBucket[slot] > bucket) {
                return; // the slot already holds a newer bucket: this window is older than 24 h
            }
            slotBucket[slot] = bucket;
            p50SumMicros[slot] = 0;
            p50Count[slot] = 0;
            sent[slot] = 0;
            lost[slot] = 0;
        }
        if (w.rtt() != null) {
            p50SumMicros[slot] += (float) w.rtt().p50();
            p50Count[slot]++;
        }
        sent[slot] = saturatedAdd(sent[slot], w.sent());
        lost[slot] = saturatedAdd(lost[slot], w.lost());
    }

    /**
     * Copies from {@code other} the buckets of the last 24 h that this series has no data for. A
     * bucket both hold keeps this series' data: after a restart that is only the bucket the
     * restart fell in, whose windows from before the restart are then left out.
     */
    void fillGaps(DaySeries other, long nowMillis) {
        int newest = (int) (nowMillis / BUCKET_MILLIS);
        for (int slot = 0; slot < BUCKETS; slot++) {
            int mine = slotBucket[slot];
            int theirs = other.slotBucket[slot];
            boolean mineLive = mine > newest - BUCKETS && mine <= newest;
            boolean theirsLive = theirs > newest - BUCKETS && theirs <= newest;
            if (theirsLive && !mineLive) {
                slotBucket[slot] = theirs;
                p50SumMicros[slot] = other.p50SumMicros[slot];
                p50Count[slot] = other.p50Count[slot];
                sent[slot] = other.sent[slot];
                lost[slot] = other.lost[slot];
            }
        }
    }

    /** The 24 h ending with the bucket that holds {@code nowMillis}, oldest bucket first. */
    Points points(long nowMillis) {
        int newest = (int) (nowMillis / BUCKET_MILLIS);
        int first = newest - BUCKETS + 1;
        double[] rtt = new double[BUCKETS];
        double[] loss = new double[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            int bucket = first + i;
            int slot = bucket % BUCKETS;
            boolean held = slotBucket[slot] == bucket;
            rtt[i] = held && p50Count[slot] > 0 ? p50SumMicros[slot] / p50Count[slot] / 1e6 : Double.NaN;
            loss[i] = held && sent[slot] > 0 ? (double) lost[slot] / sent[slot] : Double.NaN;
        }
        return new Points((long) first * BUCKET_MILLIS, BUCKET_MILLIS, rtt, loss);
    }

    private static int saturatedAdd(int a, long b) {
        return (int) Math.min(Integer.MAX_VALUE, a + b);
    }

    /**
     * Equally spaced buckets from {@code startMillis}; NaN where the bucket holds no data.
     *
     * @param rttP50Seconds mean RTT p50 of the windows in each bucket
     * @param lossRatio packets lost / sent in each bucket, both directions
     */
    public record Points(long startMillis, long bucketMillis, double[] rttP50Seconds, double[] lossRatio) {
        public boolean isEmpty() {
            for (double v : rttP50Seconds) {
                if (!Double.isNaN(v)) {
                    return false;
                }
            }
            for (double v : lossRatio) {
                if (!Double.isNaN(v)) {
                    return false;
                }
            }
            return true;
        }
    }
}
