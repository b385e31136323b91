package io.linkprobe.collector.load;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Ack latencies in microseconds, log-linear: 64 linear sub-buckets per power of two, so a
 * reported percentile is within 1/64 (1.6 %) of the true value, from 1 µs to over an hour, in
 * 2 KiB of counters. Recorded from several event loops at once without locks.
 *
 * <p>Written here rather than taken from HdrHistogram because that library reaches the collector
 * only at runtime scope (through Micrometer), not on the test compile path.
 */
final class LatencyHistogram {
    private static final int SUB_BITS = 6;
    private static final int SUB = 1 << SUB_BITS;
    private static final int MAJORS = 33;

    private final AtomicLongArray counts = new AtomicLongArray(MAJORS * SUB);

    void recordMicros(long micros) {
        counts.incrementAndGet(index(Math.max(0, micros)));
    }

    long count() {
        long n = 0;
        for (int i = 0; i < counts.length(); i++) {
            n += counts.get(i);
        }
        return n;
    }

    /** The value at quantile {@code q} (0..1), the upper bound of its bucket; 0 when empty. */
    long percentileMicros(double q) {
        long total = count();
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < counts.length(); i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return upperBound(i);
            }
        }
        return upperBound(counts.length() - 1);
    }

    static int index(long v) {
        if (v < SUB) {
            return (int) v;
        }
        int major = 63 - Long.numberOfLeadingZeros(v) - SUB_BITS + 1;
        int sub = (int) (v >>> (major - 1)) - SUB;
        return Math.min(MAJORS * SUB - 1, major * SUB + sub);
    }

    static long upperBound(int index) {
        int major = index / SUB;
        int sub = index % SUB;
        if (major == 0) {
            return sub;
        }
        return ((long) (sub + SUB + 1) << (major - 1)) - 1;
    }
}
