package io.linkprobe.common.throughput.measurement;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Goodput at the receiver, one entry per measurement interval: the bytes counted and the interval's
 * real length. Rates divide by the real lengths, not the nominal interval, so a late timer tick on a
 * busy machine does not read as a burst.
 */
public final class IntervalSeries {
    private final List<Long> bytes = new ArrayList<>();
    private long[] nanos = new long[64];

    public void add(long intervalBytes, long elapsedNanos) {
        if (bytes.size() == nanos.length) {
            nanos = Arrays.copyOf(nanos, nanos.length * 2);
        }
        nanos[bytes.size()] = Math.max(1, elapsedNanos);
        bytes.add(intervalBytes);
    }

    int size() {
        return bytes.size();
    }

    /** Bytes per second over intervals [from, to); 0 for an empty range. */
    double rate(int from, int to) {
        long sumBytes = 0;
        long sumNanos = 0;
        for (int i = from; i < to; i++) {
            sumBytes += bytes.get(i);
            sumNanos += nanos[i];
        }
        return sumNanos == 0 ? 0 : sumBytes * 1e9 / sumNanos;
    }

    long totalBytes() {
        return bytes.stream().mapToLong(Long::longValue).sum();
    }

    public List<Long> bytes() {
        return Collections.unmodifiableList(bytes);
    }
}
