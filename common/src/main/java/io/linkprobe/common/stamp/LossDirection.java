package io.linkprobe.common.stamp;

/**
 * Splits lost packets into forward (the request never reached the reflector) and backward (the
 * reflector answered, the reply never came back), from the stateful reflector's own counter.
 *
 * <p>The reflector numbers the requests of a session 0, 1, 2, ... in the order they reach it, so its
 * number r on the reply to sender sequence s says that r + 1 requests had arrived by then. Take two
 * replies, (s1, r1) the last one received before a run of losses and (s2, r2) any one received after
 * it: the k = s2 - s1 - 1 packets between them are lost (or still in flight), and r2 - r1 - 1 of them
 * reached the reflector. So
 * <pre>
 *   forward = k - (r2 - r1 - 1)        backward = the rest of the gap
 * </pre>
 * clamped to [0, k] (a request duplicated on the way makes the reflector count more than we sent).
 * Before the first reply the anchor is (-1, -1): a fresh session, which RFC 8762 starts at 0.
 *
 * <p>A lost packet is decided as soon as it times out if a later reply has already arrived, which at
 * any sensible rate it has. Otherwise it waits ("pending") for the first later reply. It does not
 * wait for ever: {@link #settleUnknown} decides the pending ones without it (the sender calls it
 * when a grace period has passed, or when nothing more will be sent). <b>Unknown-direction losses
 * are counted forward</b>: the usual cause of a gap longer than the timeout is a path that is down,
 * and then the requests are what is lost. Losses settled either way count against the gap's forward
 * share when a later reply does arrive, so the rest of the gap is split right.
 *
 * <p>A <b>stateless reflector</b> copies the sender's sequence number (r == s, RFC 8762 §4.3): then
 * r2 - r1 - 1 == k and every bracketed loss comes out backward. That is indistinguishable from a
 * stateful reflector on a path that has so far lost only replies (the sender reports whether any
 * reply has shown r != s). A reflector whose counter
 * jumps back (it restarted, or forgot the session) starts a new epoch; the gap across it is unknown.
 *
 * <p>Confined to the sender's event loop.
 */
final class LossDirection {
    /** How far back a reflector sequence may step before it counts as a restart, not reordering. */
    static final long RESTART_THRESHOLD = 16;

    private long anchorSeq = -1;
    private long anchorReflectorSeq = -1;
    private long pending;
    private long pendingSinceNanos;
    private long gapForward; // losses of the current gap already counted forward

    /**
     * A packet timed out (they arrive here in sequence order).
     *
     * @param laterSeq the nearest packet after it that was answered, or -1 if none has been yet
     */
    void lost(long nowNanos, long laterSeq, long laterReflectorSeqU32, WindowAccumulator window) {
        if (pending == 0) {
            pendingSinceNanos = nowNanos;
        }
        pending++;
        if (laterSeq >= 0) {
            settle(laterSeq, laterReflectorSeqU32, window);
        }
    }

    /** Decides the pending losses with a reply to a later packet. */
    void settle(long laterSeq, long laterReflectorSeqU32, WindowAccumulator window) {
        if (pending == 0) {
            return;
        }
        long r = unwrap(laterReflectorSeqU32);
        if (isRestart(r)) {
            settleUnknown(window);
            return;
        }
        long gap = laterSeq - anchorSeq - 1;
        long arrived = r - anchorReflectorSeq - 1;
        long forward = clamp(gap - arrived, 0, gap);
        long forwardNow = clamp(forward - gapForward, 0, pending);
        window.lost(forwardNow, pending - forwardNow);
        gapForward += forwardNow;
        pending = 0;
    }

    /** A received packet, in sequence order: it closes the current gap and becomes the anchor. */
    void received(long seq, long reflectorSeqU32, WindowAccumulator window) {
        settle(seq, reflectorSeqU32, window);
        long r = unwrap(reflectorSeqU32);
        // Keep the highest count seen, so that a request that reached the reflector out of order
        // does not make the next gap look as if more had arrived than did.
        anchorReflectorSeq = isRestart(r) ? r : Math.max(anchorReflectorSeq, r);
        anchorSeq = seq;
        gapForward = 0;
    }

    /** Decides all pending losses with no later reply to go by: counted forward (class comment). */
    void settleUnknown(WindowAccumulator window) {
        window.lost(pending, 0);
        gapForward += pending;
        pending = 0;
    }

    long pending() {
        return pending;
    }

    long pendingSinceNanos() {
        return pendingSinceNanos;
    }

    private boolean isRestart(long r) {
        return r < anchorReflectorSeq && (anchorReflectorSeq - r > RESTART_THRESHOLD || r < RESTART_THRESHOLD);
    }

    /** The reflector's 32-bit sequence number as a 64-bit count, nearest to the anchor's. */
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
