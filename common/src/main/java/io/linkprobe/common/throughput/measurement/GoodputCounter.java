package io.linkprobe.common.throughput.measurement;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes received by all of a test's data connections. Streams may live on different event loops, so
 * the total is atomic; the first byte starts the measurement clock (the owner's interval ticker),
 * and crossing the byte limit tells the owner once.
 */
public final class GoodputCounter {
    private final AtomicLong total = new AtomicLong();
    private final long limitBytes;
    private final Runnable onFirstByte;
    private final Runnable onLimitExceeded;
    private volatile long firstByteNanos;
    private volatile long lastByteNanos;

    /**
     * @param limitBytes the owner hears when the total goes beyond this
     * @param onFirstByte runs once, on the receiving stream's thread
     * @param onLimitExceeded runs once, on the receiving stream's thread
     */
    public GoodputCounter(long limitBytes, Runnable onFirstByte, Runnable onLimitExceeded) {
        this.limitBytes = limitBytes;
        this.onFirstByte = onFirstByte;
        this.onLimitExceeded = onLimitExceeded;
    }

    void add(int bytes) {
        if (bytes <= 0) {
            return;
        }
        long now = System.nanoTime();
        long before = total.getAndAdd(bytes);
        lastByteNanos = now;
        if (before == 0) {
            firstByteNanos = now;
            onFirstByte.run();
        }
        if (before <= limitBytes && before + bytes > limitBytes) {
            onLimitExceeded.run();
        }
    }

    public long total() {
        return total.get();
    }

    /** First byte to latest byte, in seconds; 0 before two reads. */
    public double seconds() {
        long first = firstByteNanos;
        return first == 0 ? 0 : (lastByteNanos - first) / 1e9;
    }

    public long firstByteNanos() {
        return firstByteNanos;
    }
}
