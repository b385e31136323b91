package io.linkprobe.common.stamp;

import io.linkprobe.common.stats.LatencyStats;
import io.linkprobe.common.stats.Rfc3550Jitter;
import io.linkprobe.common.wire.LatencyWindow;
import java.util.Arrays;

/**
 * Everything decided during one window, turned into a {@link LatencyWindow} at its end. A packet
 * counts in the window where its outcome was decided (its reply arrived, or it was declared lost),
 * so {@code sent == received + lostForward + lostBackward} holds for every window; duplicates and
 * reordering are counted when the reply that shows them arrives.
 *
 * <p>Confined to the sender's event loop. RTTs are kept raw, with their sequence numbers, in arrays
 * that grow by doubling: a few hundred per minute at the default rate.
 */
final class WindowAccumulator {
    final long startEpochMillis;
    private final long timeoutMillis;
    long received;
    long lostForward;
    long lostBackward;
    long duplicates;
    long reordered;
    long bytesSent;
    long bytesReceived;

    private long[] seqs = new long[64];
    private long[] rtts = new long[64];
    private int n;
    private long[] forwardDelays = new long[0];
    private long[] backwardDelays = new long[0];
    private int oneWays;

    WindowAccumulator(long startEpochMillis, long timeoutNanos) {
        this.startEpochMillis = startEpochMillis;
        this.timeoutMillis = (timeoutNanos + 999_999) / 1_000_000;
    }

    void received(long seq, long rttNanos) {
        if (n == seqs.length) {
            seqs = Arrays.copyOf(seqs, n * 2);
            rtts = Arrays.copyOf(rtts, n * 2);
        }
        seqs[n] = seq;
        rtts[n] = rttNanos;
        n++;
        received++;
    }

    void lost(long forward, long backward) {
        lostForward += forward;
        lostBackward += backward;
    }

    void oneWay(long forwardNanos, long backwardNanos) {
        if (oneWays == forwardDelays.length) {
            forwardDelays = Arrays.copyOf(forwardDelays, Math.max(64, oneWays * 2));
            backwardDelays = Arrays.copyOf(backwardDelays, forwardDelays.length);
        }
        forwardDelays[oneWays] = forwardNanos;
        backwardDelays[oneWays] = backwardNanos;
        oneWays++;
    }

    /**
     * Summarises the window. RTTs are put in order of sending first (replies may arrive reordered),
     * because the raw list, the RFC 3550 jitter and IPDV are all defined over consecutive packets.
     *
     * @param jitter the sender's running estimator, fed this window's RTTs (µs) in order
     */
    LatencyWindow build(String target, long endEpochMillis, Rfc3550Jitter jitter) {
        sortBySeq();
        int[] rttMicros = new int[n];
        for (int i = 0; i < n; i++) {
            rttMicros[i] = (int) Math.min(Integer.MAX_VALUE, (rtts[i] + 500) / 1_000);
            jitter.add(rtts[i] / 1_000.0);
        }
        double[] ipdv = LatencyStats.ipdvP50P99(rtts, n);
        return new LatencyWindow(
                target,
                startEpochMillis,
                endEpochMillis,
                received + lostForward + lostBackward,
                received,
                lostForward,
                lostBackward,
                duplicates,
                reordered,
                LatencyStats.summarize(rtts, n),
                n == 0 ? 0.0 : jitter.value(),
                ipdv == null ? null : ipdv[0],
                ipdv == null ? null : ipdv[1],
                bytesSent,
                bytesReceived,
                LatencyStats.medianMicros(forwardDelays, oneWays),
                LatencyStats.medianMicros(backwardDelays, oneWays),
                rttMicros,
                timeoutMillis);
    }

    /** Insertion sort: replies are almost always in order, so this is linear in practice. */
    private void sortBySeq() {
        for (int i = 1; i < n; i++) {
            long s = seqs[i];
            long r = rtts[i];
            int j = i - 1;
            while (j >= 0 && seqs[j] > s) {
                seqs[j + 1] = seqs[j];
                rtts[j + 1] = rtts[j];
                j--;
            }
            seqs[j + 1] = s;
            rtts[j + 1] = r;
        }
    }
}
