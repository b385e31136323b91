package io.linkprobe.common.video;

import io.linkprobe.common.stamp.AnsweredPacket;
import io.linkprobe.common.stamp.StampSender;
import io.linkprobe.common.stats.EModel;
import io.linkprobe.common.stats.Percentiles;
import io.linkprobe.common.wire.VideoResult;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The packets of one call-shaped STAMP session that came back, in order of arrival (register it
 * with {@link StampSender#addAnswerListener}), and what they say about each direction once the
 * session has ended ({@link #figures}).
 *
 * <p>How each figure is read from the sender's and the stateful reflector's sequence numbers:
 * <ul>
 * <li><b>Loss per direction.</b> Between two answered packets s1 &lt; s2 (in sending order) the
 *     k = s2 − s1 − 1 packets are lost; the reflector's counter r2 − r1 − 1 says how many of them
 *     reached it, so k − (r2 − r1 − 1) were lost on the way up and the rest on the way down
 *     (see the STAMP sender's loss split). Packets after the last answered one are counted up.
 * <li><b>Bursts.</b> Down: the reflector numbers its replies, so the replies lost are exactly the
 *     numbers missing, and a run of missing numbers is a run of consecutive lost replies. Up: the
 *     up-losses of one gap are counted as one run; where a gap also lost replies, which of its
 *     packets went missing on the way up cannot be told, so the run is an upper bound.
 * <li><b>Jitter.</b> RFC 3550 §6.4.1, J += (|D| − J)/16, on the one-way transit of consecutive
 *     arrivals: up in the order the reflector numbered them (the order they reached it), down in
 *     the order the replies arrived here. Transits carry the clocks' offset; differences do not.
 *     Reported as the estimator's mean over the call.
 * <li><b>Delay variation.</b> Transit p99 − min per direction (RFC 5481 PDV, nearest rank).
 * <li><b>Reordering.</b> Up: a packet the reflector numbered after one sent later. Down: a reply
 *     arriving after one the reflector sent later.
 * <li><b>MOS.</b> G.107 per direction ({@link EModel}) with the audio
 *     {@link AudioAssumptions}: what the codec misses is the packets lost plus those later than an
 *     adaptive jitter buffer plays out ({@link JitterBuffer}); their burst ratio is that of a two-state (Gilbert) chain fitted to the run
 *     lengths, BurstR = 1 / (p + q).
 * </ul>
 *
 * <p>Confined to the sender's event loop while the session runs; read after it has ended.
 */
public final class CallTrace implements Consumer<AnsweredPacket> {
    private long[] senderSeq = new long[256];
    private long[] reflectorSeq = new long[256];
    private long[] rtt = new long[256];
    private long[] forward = new long[256];
    private int answered;

    @Override
    public void accept(AnsweredPacket a) {
        if (answered == senderSeq.length) {
            int n = answered * 2;
            senderSeq = Arrays.copyOf(senderSeq, n);
            reflectorSeq = Arrays.copyOf(reflectorSeq, n);
            rtt = Arrays.copyOf(rtt, n);
            forward = Arrays.copyOf(forward, n);
        }
        senderSeq[answered] = a.senderSeq();
        reflectorSeq[answered] = a.reflectorSeq();
        rtt[answered] = a.rttNanos();
        forward[answered] = a.forwardTransitNanos();
        answered++;
    }

    /** Packets answered so far. */
    public int answered() {
        return answered;
    }

    /**
     * The call's figures.
     *
     * @param sent packets the session sent (sequence numbers 0 to sent − 1)
     * @param packetSize UDP payload bytes per packet, both ways
     * @param sendingSeconds how long the session sent for, which delivered rates are per
     */
    public CallFigures figures(long sent, int packetSize, double sendingSeconds, AudioAssumptions audio) {
        int m = keepSent(sent);
        long[] backward = new long[m];
        for (int i = 0; i < m; i++) {
            backward[i] = rtt[i] - forward[i];
        }
        Integer[] byReflector = order(reflectorSeq, m);
        long bufferNanos = audio.jitterBuffer().toNanos();
        int window = (int) Math.max(1, Math.round(sent / Math.max(1e-9, sendingSeconds) * JitterBuffer.WINDOW_SECONDS));
        // Each direction's transits in order of arrival, and what an adaptive jitter buffer makes of them.
        long[] upArrivals = new long[m];
        long[] downArrivals = new long[m];
        for (int k = 0; k < m; k++) {
            upArrivals[k] = forward[byReflector[k]];
            downArrivals[k] = backward[k];
        }
        JitterBuffer.Playout upPlayout = JitterBuffer.play(upArrivals, window, bufferNanos);
        JitterBuffer.Playout downPlayout = JitterBuffer.play(downArrivals, window, bufferNanos);

        // Up: sending order, gaps split by the reflector's count.
        Integer[] bySender = order(senderSeq, m);
        byte[] upFate = new byte[(int) Math.min(Integer.MAX_VALUE, sent)];
        Arrays.fill(upFate, LOST);
        long upLost = 0;
        long upLongest = 0;
        long previousSeq = -1;
        long highestReflector = -1;
        for (int idx : bySender) {
            long s = senderSeq[idx];
            long r = reflectorSeq[idx];
            long gap = s - previousSeq - 1;
            long arrived = r - highestReflector - 1;
            long lostUp = Math.max(0, Math.min(gap, gap - arrived));
            for (long k = previousSeq + 1 + lostUp; k < s; k++) {
                upFate[(int) k] = ARRIVED; // reached the reflector; its reply was lost
            }
            upLost += lostUp;
            upLongest = Math.max(upLongest, lostUp);
            upFate[(int) s] = ARRIVED;
            previousSeq = s;
            highestReflector = Math.max(highestReflector, r);
        }
        long tail = sent - 1 - previousSeq;
        upLost += tail;
        upLongest = Math.max(upLongest, tail);
        long downLost = sent - m - upLost;
        for (int k = 0; k < m; k++) {
            if (upPlayout.late()[k]) {
                upFate[(int) senderSeq[byReflector[k]]] = LATE;
            }
        }

        // Down: the reflector's numbering is the order its replies were sent.
        long downPackets = m + downLost;
        byte[] downFate = new byte[(int) Math.max(0, Math.min(Integer.MAX_VALUE, highestReflector + 1))];
        Arrays.fill(downFate, LOST);
        for (int k = 0; k < m; k++) {
            long r = reflectorSeq[k];
            if (r >= 0 && r < downFate.length) {
                downFate[(int) r] = downPlayout.late()[k] ? LATE : ARRIVED;
            }
        }
        long downLongest = longestRun(downFate, LOST);

        long upReordered = reordered(senderSeq, byReflector);
        long downReordered = reordered(reflectorSeq, arrivalOrder(m));

        double rttMinMillis = m == 0 ? 0 : min(rtt, m) / 1e6;
        VideoResult.Direction up = direction(sent, upLost, upLongest, upFate, upArrivals, upReordered,
                (sent - upLost) * (double) packetSize / sendingSeconds,
                audio.mouthToEarMillis(rttMinMillis, upPlayout.meanQueueMillis()), audio);
        VideoResult.Direction down = direction(downPackets, downLost, downLongest, downFate, downArrivals, downReordered,
                m * (double) packetSize / sendingSeconds,
                audio.mouthToEarMillis(rttMinMillis, downPlayout.meanQueueMillis()), audio);
        long[] sortedRtt = Arrays.copyOf(rtt, m);
        Arrays.sort(sortedRtt);
        return new CallFigures(up, down, m == 0 ? null : sortedRtt[0] / 1e3,
                m == 0 ? null : percentile(sortedRtt, 50) / 1e3, m == 0 ? null : percentile(sortedRtt, 95) / 1e3,
                Math.min(up.mos(), down.mos()), sent * packetSize, (long) m * packetSize);
    }

    private static final byte ARRIVED = 0;
    private static final byte LOST = 1;
    private static final byte LATE = 2;

    private static VideoResult.Direction direction(long packets, long lost, long longestBurst, byte[] fate,
            long[] arrivals, long reordered, double deliveredBytesPerSecond, double taMillis, AudioAssumptions audio) {
        long late = 0;
        long missed = 0;
        long runs = 0;
        boolean inRun = false;
        for (byte f : fate) {
            boolean miss = f != ARRIVED;
            late += f == LATE ? 1 : 0;
            missed += miss ? 1 : 0;
            runs += miss && !inRun ? 1 : 0;
            inRun = miss;
        }
        // What the codec misses beyond the fates known (up: the tail; down: nothing) is lost too.
        long missedTotal = Math.max(missed, lost + late);
        double pplPercent = packets == 0 ? 100 : 100.0 * missedTotal / packets;
        double burstR = burstRatio(packets, missedTotal, Math.max(runs, missedTotal > missed ? runs + 1 : runs));
        double r = EModel.rating(taMillis, pplPercent, burstR, audio.ie(), audio.bpl());
        int m = arrivals.length;
        long[] sorted = Arrays.copyOf(arrivals, m);
        Arrays.sort(sorted);
        double pdv = m == 0 ? 0 : (percentile(sorted, 99) - sorted[0]) / 1e3;
        return new VideoResult.Direction(packets, lost, packets == 0 ? 0 : 100.0 * lost / packets, longestBurst,
                late, burstR, meanRfc3550Jitter(arrivals) / 1e3, pdv, reordered,
                deliveredBytesPerSecond, EModel.mos(r));
    }

    /**
     * BurstR of a two-state chain fitted to the losses: p = P(miss | previous arrived) ≈ runs /
     * packets arrived, q = P(arrived | previous missed) ≈ runs / packets missed, BurstR = 1/(p + q);
     * 1 for random loss (p + q = 1), at least 1 as G.107 uses it.
     */
    static double burstRatio(long packets, long missed, long runs) {
        if (missed == 0 || missed >= packets || runs == 0) {
            return 1.0;
        }
        double p = (double) runs / (packets - missed);
        double q = (double) runs / missed;
        return Math.max(1.0, 1.0 / (p + q));
    }

    /** The RFC 3550 estimator's value after each arrival from the second on, averaged. */
    static double meanRfc3550Jitter(long[] transits) {
        if (transits.length < 2) {
            return 0;
        }
        double j = 0;
        double sum = 0;
        for (int i = 1; i < transits.length; i++) {
            j += (Math.abs(transits[i] - transits[i - 1]) - j) / 16.0;
            sum += j;
        }
        return sum / (transits.length - 1);
    }

    /** Drops answers to sequence numbers this session never sent (a confused reflector). */
    private int keepSent(long sent) {
        int kept = 0;
        for (int i = 0; i < answered; i++) {
            if (senderSeq[i] >= 0 && senderSeq[i] < sent) {
                senderSeq[kept] = senderSeq[i];
                reflectorSeq[kept] = reflectorSeq[i];
                rtt[kept] = rtt[i];
                forward[kept] = forward[i];
                kept++;
            }
        }
        answered = kept;
        return kept;
    }

    private static Integer[] order(long[] keys, int m) {
        Integer[] idx = arrivalOrder(m);
        Arrays.sort(idx, (a, b) -> Long.compare(keys[a], keys[b]));
        return idx;
    }

    private static Integer[] arrivalOrder(int m) {
        Integer[] idx = new Integer[m];
        for (int i = 0; i < m; i++) {
            idx[i] = i;
        }
        return idx;
    }

    /** Packets whose key is below the highest key seen before them, walking {@code order}. */
    private static long reordered(long[] keys, Integer[] order) {
        long highest = Long.MIN_VALUE;
        long count = 0;
        for (int idx : order) {
            if (keys[idx] < highest) {
                count++;
            } else {
                highest = keys[idx];
            }
        }
        return count;
    }

    private static long longestRun(byte[] fate, byte what) {
        long longest = 0;
        long run = 0;
        for (byte f : fate) {
            run = f == what ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        return longest;
    }

    static long min(long[] values, int m) {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < m; i++) {
            min = Math.min(min, values[i]);
        }
        return min;
    }

    private static long percentile(long[] sorted, double p) {
        return Percentiles.ofSorted(sorted, sorted.length, p);
    }
}
