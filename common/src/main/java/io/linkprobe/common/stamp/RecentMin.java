package io.linkprobe.common.stamp;

/** The smallest of the last {@code n} values (e.g. RTTs); -1 before the first. Not thread-safe. */
final class RecentMin {
    private final long[] values;
    private int next;
    private int size;

    RecentMin(int n) {
        values = new long[n];
    }

    void add(long value) {
        values[next] = value;
        next = (next + 1) % values.length;
        size = Math.min(size + 1, values.length);
    }

    long min() {
        long min = -1;
        for (int i = 0; i < size; i++) {
            if (min < 0 || values[i] < min) {
                min = values[i];
            }
        }
        return min;
    }
}
