package io.linkprobe.common.stamp;

import io.linkprobe.common.stats.Rfc3550Jitter;
import io.linkprobe.common.wire.LatencyWindow;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Drives a {@link SenderSession} on a simulated clock against a simulated reflector and path, one
 * packet at a time: which requests and replies the path drops, delays or duplicates is set up front.
 */
final class SessionDriver {
    static final long MS = 1_000_000L;
    final SenderSession session;
    final Set<Long> dropForward = new HashSet<>();
    final Set<Long> dropBackward = new HashSet<>();
    final Set<Long> duplicateBackward = new HashSet<>();
    final Map<Long, Long> extraBackwardDelayNanos = new HashMap<>();
    boolean stateless;
    long reflectorCounter;
    long rttNanos = MS;
    long turnaroundNanos;
    long now = 1_000 * MS;
    long epochMillis = 1_700_000_000_000L;
    private final PriorityQueue<long[]> replies = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0])); // {due, seq, r}
    private final Rfc3550Jitter jitter = new Rfc3550Jitter();

    SessionDriver(long timeoutNanos, int capacity) {
        session = new SenderSession(timeoutNanos, capacity, epochMillis);
    }

    SessionDriver(long timeoutNanos) {
        this(timeoutNanos, SenderSession.DEFAULT_CAPACITY);
    }

    /** Sends one packet now; the reflector and the path act on it. */
    long send() {
        long seq = session.nextSeq();
        session.sent(now, 44);
        if (dropForward.contains(seq)) {
            return seq;
        }
        long r = stateless ? seq : reflectorCounter++;
        if (dropBackward.contains(seq)) {
            return seq;
        }
        long due = now + rttNanos + extraBackwardDelayNanos.getOrDefault(seq, 0L);
        replies.add(new long[] {due, seq, r});
        if (duplicateBackward.contains(seq)) {
            replies.add(new long[] {due + 1, seq, r});
        }
        return seq;
    }

    /** Sends {@code n} packets {@code gapNanos} apart, delivering replies and ticking as time passes. */
    void sendEvery(int n, long gapNanos, long graceNanos) {
        for (int i = 0; i < n; i++) {
            send();
            advance(gapNanos, false, graceNanos);
        }
    }

    /** Lets {@code nanos} pass in 1 ms steps: replies arrive when due, the session ticks. */
    void advance(long nanos, boolean sendingDone, long graceNanos) {
        long end = now + nanos;
        while (now < end) {
            now = Math.min(end, now + MS);
            while (!replies.isEmpty() && replies.peek()[0] <= now) {
                long[] r = replies.poll();
                long t3 = NtpTimestamp.fromEpoch(1_700_000_000L, 0);
                long t2 = t3 - (turnaroundNanos << 32) / 1_000_000_000L;
                session.replied(new ReflectorPacket(r[2] & 0xFFFF_FFFFL, t3, 0x12A4, 1, t2, r[1] & 0xFFFF_FFFFL,
                        0, 0x12A4, 0, 44), r[0], 0, false, 0x12A4);
            }
            session.tick(now, sendingDone, graceNanos);
        }
    }

    LatencyWindow drain() {
        epochMillis += 60_000;
        return session.swapWindow(epochMillis).build("t", epochMillis, jitter);
    }
}
