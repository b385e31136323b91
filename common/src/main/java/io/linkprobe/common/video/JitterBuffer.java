package io.linkprobe.common.video;

/**
 * The adaptive jitter buffer the E-model's audio is assumed to play through (see
 * {@link AudioAssumptions}): each arrival is played out {@code buffer} after the quickest transit
 * among the arrivals of the last {@link #WINDOW_SECONDS} (this one included). So the buffer follows
 * a queue that builds over seconds, and that queue's delay goes into the mouth-to-ear delay
 * ({@link Playout#meanQueueMillis}, the anchor's mean height above the call's quickest transit),
 * while what comes more than {@code buffer} later than the anchor is discarded: late, lost to the codec.
 */
final class JitterBuffer {
    /** How far back the buffer looks for the quickest transit it plays out against. */
    static final double WINDOW_SECONDS = 1.0;

    private JitterBuffer() {}

    /** Per arrival (in order of arrival): discarded as late or not; and the mean queue followed, in ms. */
    record Playout(boolean[] late, double meanQueueMillis) {}

    /**
     * @param transits one direction's one-way transits in order of arrival (any clock offset)
     * @param window how many arrivals make {@link #WINDOW_SECONDS}
     */
    static Playout play(long[] transits, int window, long bufferNanos) {
        int m = transits.length;
        boolean[] late = new boolean[m];
        if (m == 0) {
            return new Playout(late, 0);
        }
        long quickest = CallTrace.min(transits, m);
        int[] deque = new int[m]; // indices of a monotonic queue: the window's minimum at its head
        int head = 0;
        int tail = 0;
        double excess = 0;
        for (int k = 0; k < m; k++) {
            while (tail > head && transits[deque[tail - 1]] >= transits[k]) {
                tail--;
            }
            deque[tail++] = k;
            if (deque[head] <= k - window) {
                head++;
            }
            long anchor = transits[deque[head]];
            late[k] = transits[k] - anchor > bufferNanos;
            excess += anchor - quickest;
        }
        return new Playout(late, excess / m / 1e6);
    }
}
