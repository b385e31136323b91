package io.linkprobe.common.stamp;

/**
 * Splits lost packets into forward (the request never reached the reflector) and backward (the
 * reflector answered, the reply never came back), from the stateful reflector's own counter.
 *
 * <p>The reflector numbers the requests of a session 0, 1, 2, ... in the order they reach it, so its
 * number r on the reply to sender sequence s says that r + 1 requests had arrived by then. Take two
 * replies received back to back in sender order, (s1, r1) and (s2, r2): the k = s2 - s1 - 1 packets
 * between them were all lost, and r2 - r1 - 1 of them reached the reflector. So
 * <pre>
 *   forward  = k - (r2 - r1 - 1)      backward = r2 - r1 - 1
 * </pre>
 * clamped to [0, k] (a duplicated request can make the reflector count more than we sent). Before the
 * first reply the anchor is (-1, -1): a fresh session at the reflector, as RFC 8762 starts it at 0.
 *
 * <p>The split is decided when the gap is closed by the next reply. Lost packets wait for that
 * ("pending"), but not for ever: {@link #settleUnknown} decides them without it (the sender calls
 * it when a grace period passes, or when nothing more will be sent). <b>Unknown-direction losses are
 * counted forward</b>: the usual cause of a gap longer than the timeout is a path that is down, and
 * then the requests are what is lost. If the gap closes later, the losses already settled count
 * against its forward share, so the split stays right whenever the guess was.
 *
 * <p>A <b>stateless reflector</b> copies the sender's sequence number (r == s, RFC 8762 §4.3): then
 * r2 - r1 - 1 == k and every loss comes out backward. That is indistinguishable from a stateful
 * reflector on a path that has so far lost only replies; {@link #reflectorCountsOwnSequence()} turns
 * true only once a reply proves the reflector keeps its own count. A reflector whose counter goes
 * back (it restarted, or dropped the session) starts a new epoch; the gap across it is unknown.
 *
 * <p>Confined to the sender's event loop.
 */
final class LossDirection {
    /** How far back a reflector sequence may step before it counts as a restart, not reordering. */
    static final long RESTART_THRESHOLD = 16;

    private long anchorSeq = -1;
    private long anchorReflectorSeq = -1;
    private long pending;
    private long settledForward;
    private long pendingSinceNanos;
    private boolean ownSequence;

    /** The scan passed a timed-out packet. */
    void timedOut(long nowNanos) {
        if (pending == 0) {
            pendingSinceNanos = nowNanos;
        }
        pending++;
    }

    /** The scan passed a received packet: the gap before it is closed. */
    void received(long seq, long reflectorSeqU32, WindowAccumulator window) {
        if ((seq & 0xFFFF_FFFFL) != reflectorSeqU32) {
            ownSequence = true;
        }
        long r = unwrap(reflectorSeqU32);
        boolean restart = r < anchorReflectorSeq
                && (anchorReflectorSeq - r > RESTART_THRESHOLD || r < RESTART_THRESHOLD);
        if (restart) {
            settleUnknown(window);
        } else if (pending > 0) {
            long gap = seq - anchorSeq - 1; // == pending + settled: the scan passes every sequence
            long arrived = r - anchorReflectorSeq - 1;
            long forward = clamp(gap - arrived, 0, gap);
            long forwardNow = clamp(forward - settledForward, 0, pending);
            window.lost(forwardNow, pending - forwardNow);
        }
        pending = 0;
        settledForward = 0;
        anchorSeq = seq;
        // The highest count seen, so a request that reached the reflector out of order does not
        // make the next gap look as if more had arrived than did.
        anchorReflectorSeq = restart ? r : Math.max(anchorReflectorSeq, r);
    }

    /** Decides all pending losses without a closing reply: counted forward (see class comment). */
    void settleUnknown(WindowAccumulator window) {
        window.lost(pending, 0);
        settledForward += pending;
        pending = 0;
    }

    long pending() {
        return pending;
    }

    long pendingSinceNanos() {
        return pendingSinceNanos;
    }

    boolean reflectorCountsOwnSequence() {
        return ownSequence;
    }

    /** The reflector's 32-bit sequence number as a 64-bit count, nearest to the anchor. */
    private long unwrap(long u32) {
        if (anchorSeq < 0) {
            return u32;
        }
        return anchorReflectorSeq + (int) (u32 - anchorReflectorSeq);
    }

    private static long clamp(long v, long lo, long hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
