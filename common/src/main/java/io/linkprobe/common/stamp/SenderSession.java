package io.linkprobe.common.stamp;

/**
 * The bookkeeping of one Session-Sender: which packets are in flight, which came back, which are
 * lost and in which direction. No I/O and no clock of its own (times are passed in), so it can be
 * driven and tested packet by packet.
 *
 * <p>Packets live in a ring indexed by sequence number. Three cursors move up through it:
 * {@code timeoutCursor} marks expired packets timed out (packets expire in sending order, since the
 * timeout is the same for all); {@code scan} walks over every packet whose fate is known and hands
 * it to {@link LossDirection}, which needs them in order; {@code nextSeq} is the next to send. A
 * ring slot is reused only after the scan has passed it; if the sender outruns the ring (more than
 * {@code capacity} packets within one timeout), the oldest are timed out early.
 *
 * <p>Confined to the sender's event loop.
 */
final class SenderSession {
    static final int DEFAULT_CAPACITY = 8192;
    private static final byte IN_FLIGHT = 1;
    private static final byte RECEIVED = 2;
    private static final byte TIMED_OUT = 3;

    private final int capacity;
    private final int mask;
    private final long[] slotSeq;
    private final long[] sentNanos;
    private final long[] sentEpochNanos;
    /** How far {@link #transmittedLast} moved each packet's send time, to undo it if it was wrong. */
    private final long[] txDelayNanos;
    private final long[] txMovedNanos; // how far the transmit timestamp moved the monotonic send time
    private final long[] reflectorSeq;
    private final byte[] state;
    private final long timeoutNanos;
    private final LossDirection direction = new LossDirection();

    private long nextSeq;
    private long scan;
    private long timeoutCursor;
    private long highestReceived = -1;
    private long lateReplies;
    private long unknownReplies;
    private boolean ownSequence;
    private long kernelRtts;
    private long txStamped;
    private long txDelaysUndone;
    private long userRtts;
    private WindowAccumulator window;

    SenderSession(long timeoutNanos, int capacity, long startEpochMillis) {
        if (Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two");
        }
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.slotSeq = new long[capacity];
        this.sentNanos = new long[capacity];
        this.sentEpochNanos = new long[capacity];
        this.txDelayNanos = new long[capacity];
        this.txMovedNanos = new long[capacity];
        this.reflectorSeq = new long[capacity];
        this.state = new byte[capacity];
        this.timeoutNanos = timeoutNanos;
        this.window = new WindowAccumulator(startEpochMillis, timeoutNanos);
    }

    /**
     * The kernel's timestamp of the packet last {@link #sent} entering the device queue, later than
     * the T1 read before the send call by {@code delayNanos}: that packet's send time moves to it, on
     * both clocks, so the time the sender took to get the packet into the kernel (preemption
     * included) stays out of its RTT.
     *
     * <p>The delay is measured on the wall clock (T1 to the kernel's time), and T1 and the
     * monotonic send time are two reads: a sender preempted between them has its monotonic send
     * time already late, and the whole delay added on would put it after the packet left (a
     * negative RTT on a fast path, seen at load 18 on 2 cores). The monotonic send time therefore
     * moves at most to {@code sendReturnedNanos}, read when the send call had returned, which the
     * packet cannot have left after.
     */
    void transmittedLast(long delayNanos, long sendReturnedNanos) {
        int i = slot(nextSeq - 1);
        // A stamp as late as the loss timeout is not this packet's (the wall clock stepped between
        // T1 and the stamp): taken, it would move the send into the future, and packets time out
        // in sending order, so no loss would be counted until then (found by fuzzing).
        if (delayNanos > 0 && delayNanos < timeoutNanos && txDelayNanos[i] == 0 && state[i] == IN_FLIGHT) {
            long moved = Math.max(sentNanos[i], Math.min(sentNanos[i] + delayNanos, sendReturnedNanos));
            txMovedNanos[i] = moved - sentNanos[i];
            sentNanos[i] = moved;
            sentEpochNanos[i] += delayNanos;
            txDelayNanos[i] = delayNanos;
            txStamped++;
        }
    }

    /** Packets whose send time came from the kernel's transmit timestamp. */
    long txStamped() {
        return txStamped;
    }

    /** The sequence number the next packet will carry. */
    long nextSeq() {
        return nextSeq;
    }

    /** Records that packet {@link #nextSeq()} went out, with no wall-clock time (user-space RTTs only). */
    void sent(long nowNanos, int bytes) {
        sent(nowNanos, 0, bytes);
    }

    /**
     * Records that packet {@link #nextSeq()} went out.
     *
     * @param nowEpochNanos the wall clock at the same moment (the T1 in the packet), which a kernel
     *     receive timestamp is compared with; 0 when unknown
     */
    void sent(long nowNanos, long nowEpochNanos, int bytes) {
        long oldest = nextSeq - capacity;
        if (scan <= oldest) { // the ring is full of undecided packets: time out the oldest now
            while (timeoutCursor <= oldest) {
                int i = slot(timeoutCursor++);
                if (state[i] == IN_FLIGHT) {
                    state[i] = TIMED_OUT;
                }
            }
            advance(nowNanos);
        }
        int i = slot(nextSeq);
        slotSeq[i] = nextSeq;
        sentNanos[i] = nowNanos;
        sentEpochNanos[i] = nowEpochNanos;
        txDelayNanos[i] = 0;
        txMovedNanos[i] = 0;
        state[i] = IN_FLIGHT;
        nextSeq++;
        window.bytesSent += bytes;
    }

    /**
     * Accounts a reply read in user space only (no kernel timestamp).
     *
     * @param receivedNtp wall-clock arrival time, or 0 when one-way delays are not wanted
     */
    long replied(ReflectorPacket p, long receivedNanos, long receivedNtp, boolean senderSynchronized,
            int senderErrorEstimate) {
        return replied(p, receivedNanos, 0, -1, receivedNtp == 0 ? null : r -> receivedNtp, senderSynchronized,
                senderErrorEstimate);
    }

    /** T4 for one-way delays, given whether the kernel's time was used for the RTT; null: not wanted. */
    @FunctionalInterface
    interface ArrivalNtp {
        long of(boolean kernelUsed);
    }

    /**
     * Accounts a reply.
     *
     * @param receivedNanos {@code System.nanoTime()} at the read
     * @param receivedEpochNanos the wall clock at the read, 0 when unknown
     * @param kernelEpochNanos the kernel's receive time (CLOCK_REALTIME), -1 when none; used for the
     *     RTT when {@link ReplyTiming#kernelUsable} says it can be
     * @param arrivalNtp T4 for one-way delays, or null when they are not wanted
     * @param senderErrorEstimate the Error Estimate field this sender puts in its packets
     * @return the RTT in nanoseconds if this is the first reply for a packet still in flight, else -1
     */
    long replied(ReflectorPacket p, long receivedNanos, long receivedEpochNanos, long kernelEpochNanos,
            ArrivalNtp arrivalNtp, boolean senderSynchronized, int senderErrorEstimate) {
        window.bytesReceived += p.length();
        long last = nextSeq - 1;
        long seq = last - ((int) last - (int) p.senderSeq()); // nearest sent sequence with these low 32 bits
        if (seq < 0 || seq > last || seq <= last - capacity || slotSeq[slot(seq)] != seq) {
            unknownReplies++; // never sent, or so old the ring has forgotten it
            return -1;
        }
        int i = slot(seq);
        switch (state[i]) {
            case RECEIVED -> {
                window.duplicates++;
                return -1;
            }
            case TIMED_OUT -> {
                lateReplies++; // already counted lost; the reflector's count will call it backward
                return -1;
            }
            default -> { }
        }
        boolean kernel = ReplyTiming.kernelUsable(sentNanos[i], sentEpochNanos[i], receivedNanos, receivedEpochNanos,
                kernelEpochNanos);
        long rtt = kernel ? kernelEpochNanos - sentEpochNanos[i] : receivedNanos - sentNanos[i];
        if (rtt < 0) {
            // The transmit timestamp put the send after the reply's arrival (the wall clock stepped
            // between T1 and the kernel's stamp, say): it was wrong, so the send time read before
            // the send call stands. Seen in a soak as a window with a negative RTT, which the
            // collector refuses, losing the window.
            rtt = receivedNanos - (sentNanos[i] - txMovedNanos[i]);
            kernel = false;
            txDelaysUndone++;
        }
        if (rtt > timeoutNanos || receivedNanos - sentNanos[i] > timeoutNanos) {
            // Past the timeout, but read before the tick marked it: lost all the same, so that no
            // RTT in a window is longer than the timeout it declares.
            state[i] = TIMED_OUT;
            lateReplies++;
            advance(receivedNanos);
            return -1;
        }
        state[i] = RECEIVED;
        reflectorSeq[i] = p.seq();
        if (p.seq() != p.senderSeq()) {
            ownSequence = true; // a stateless reflector would have copied the sender's number
        }
        if (kernel) {
            kernelRtts++;
        } else {
            userRtts++;
        }
        // Take out the reflector's own turnaround (T3 - T2, one clock, so sync does not matter), as
        // TWAMP does (RFC 5357 §4.2); a slow software reflector otherwise looks like network delay.
        long turnaround = NtpTimestamp.nanosBetween(p.receiveTimestamp(), p.timestamp());
        if (turnaround > 0 && turnaround < rtt) {
            rtt -= turnaround;
        }
        if (seq < highestReceived) {
            window.reordered++;
        } else {
            highestReceived = seq;
        }
        window.received(seq, rtt);
        if (arrivalNtp != null) {
            oneWay(p, arrivalNtp.of(kernel), rtt, senderSynchronized, senderErrorEstimate);
        }
        advance(receivedNanos);
        if (direction.pending() > 0) { // losses before this packet were waiting for a later reply
            direction.settle(seq, p.seq(), window);
        }
        return rtt;
    }

    /**
     * One-way delays need both clocks synchronised to UTC (S bits) and their stated errors together
     * under a tenth of the RTT: otherwise the clock error is the same size as what is measured.
     */
    private void oneWay(ReflectorPacket p, long receivedNtp, long rtt, boolean senderSynchronized, int senderErrorEstimate) {
        if (!senderSynchronized || !ErrorEstimate.isSynchronized(p.errorEstimate())) {
            return;
        }
        double error = ErrorEstimate.errorNanos(senderErrorEstimate) + ErrorEstimate.errorNanos(p.errorEstimate());
        if (error > rtt / 10.0) {
            return;
        }
        window.oneWay(NtpTimestamp.nanosBetween(p.senderTimestamp(), p.receiveTimestamp()),
                NtpTimestamp.nanosBetween(p.timestamp(), receivedNtp));
    }

    /**
     * Times out expired packets and settles losses whose direction cannot wait any longer.
     *
     * @param sendingDone nothing more will be sent (a counted run has sent its last packet)
     * @param graceNanos how long a loss may wait for the reply that tells its direction
     */
    void tick(long nowNanos, boolean sendingDone, long graceNanos) {
        while (timeoutCursor < nextSeq) {
            int i = slot(timeoutCursor);
            if (state[i] == IN_FLIGHT) {
                if (nowNanos - sentNanos[i] < timeoutNanos) {
                    break;
                }
                state[i] = TIMED_OUT;
            }
            timeoutCursor++;
        }
        advance(nowNanos);
        if (direction.pending() > 0) {
            boolean nothingCanCloseTheGap = sendingDone && scan == nextSeq;
            if (nothingCanCloseTheGap || nowNanos - direction.pendingSinceNanos() >= graceNanos) {
                direction.settleUnknown(window);
            }
        }
    }

    private void advance(long nowNanos) {
        while (scan < nextSeq) {
            int i = slot(scan);
            if (state[i] == RECEIVED) {
                direction.received(scan, reflectorSeq[i], window);
            } else if (state[i] == TIMED_OUT) {
                long later = nearestAnsweredAfter(scan);
                direction.lost(nowNanos, later, later < 0 ? 0 : reflectorSeq[slot(later)], window);
            } else {
                return;
            }
            scan++;
        }
    }

    /** The nearest packet after {@code seq} whose reply has arrived, or -1. */
    private long nearestAnsweredAfter(long seq) {
        for (long s = seq + 1; s < nextSeq; s++) {
            if (state[slot(s)] == RECEIVED) {
                return s;
            }
        }
        return -1;
    }

    /** True when every packet sent so far has a decided outcome. */
    boolean allDecided() {
        return scan == nextSeq && direction.pending() == 0;
    }

    /** Hands over the current window and starts the next. */
    WindowAccumulator swapWindow(long nowEpochMillis) {
        WindowAccumulator w = window;
        window = new WindowAccumulator(nowEpochMillis, timeoutNanos);
        return w;
    }

    boolean reflectorCountsOwnSequence() {
        return ownSequence;
    }

    /** Replies whose send time had to go back to T1 because the transmit timestamp was after them. */
    long txDelaysUndone() {
        return txDelaysUndone;
    }

    /** RTTs taken from the kernel's receive timestamp. */
    long kernelRtts() {
        return kernelRtts;
    }

    /** RTTs taken in user space (no kernel timestamp, or one that a clock step made unusable). */
    long userRtts() {
        return userRtts;
    }

    long lateReplies() {
        return lateReplies;
    }

    long unknownReplies() {
        return unknownReplies;
    }

    private int slot(long seq) {
        return (int) (seq & mask);
    }
}
