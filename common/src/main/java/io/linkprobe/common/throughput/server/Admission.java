package io.linkprobe.common.throughput.server;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.LongSupplier;

/**
 * At most N tests at once, and a fair queue for the rest without holding their connections open.
 *
 * <p>A client turned away gets a reservation: a slot time, computed by playing the running tests'
 * expected ends and the reservations ahead of it forward (each queued test assumed to take the
 * server's maximum duration), and {@code retry_after} = slot time − now. When a slot frees, a
 * client holding a due reservation ("who" = key id and address) goes before newcomers, so the queue
 * is first come, first served even though nobody waits on a socket. A reservation lapses
 * {@link #graceMillis} after its slot time (clients add jitter to retry_after); the queue holds at
 * most {@code queueLimit} reservations and a client beyond that gets a retry time past the whole
 * queue and no reservation (its queue position is then larger than the limit).
 */
final class Admission {
    private static final long MIN_RETRY_MILLIS = 1_000;

    private final int maxConcurrent;
    private final int queueLimit;
    private final long maxDurationMillis;
    private final LongSupplier clockMillis;
    private final List<Slot> running = new ArrayList<>();
    private final List<Reservation> queue = new ArrayList<>();

    Admission(int maxConcurrent, int queueLimit, long maxDurationMillis, LongSupplier clockMillis) {
        this.maxConcurrent = maxConcurrent;
        this.queueLimit = queueLimit;
        this.maxDurationMillis = maxDurationMillis;
        this.clockMillis = clockMillis;
    }

    /** A running test's hold on one of the N slots. */
    static final class Slot {
        private final long expectedEndMillis;

        private Slot(long expectedEndMillis) {
            this.expectedEndMillis = expectedEndMillis;
        }
    }

    private record Reservation(String who, long slotMillis, long expiresMillis) {}

    /** Either a slot, or the advice to come back. */
    record Decision(Slot slot, long retryAfterMillis, int queuePosition) {
        boolean admitted() {
            return slot != null;
        }
    }

    /**
     * @param who identifies the client across retries (key id and address)
     * @param expectedMillis how long the test will hold the slot if admitted
     */
    synchronized Decision request(String who, long expectedMillis) {
        long now = clockMillis.getAsLong();
        queue.removeIf(r -> r.expiresMillis < now);
        int place = indexOf(who);
        boolean reserved = place >= 0;
        if (reserved) {
            queue.remove(place);
        }
        long dueAhead = queue.stream().limit(reserved ? place : queue.size())
                .filter(r -> r.slotMillis <= now).count();
        int free = maxConcurrent - running.size();
        if (free > 0 && dueAhead < free) {
            Slot slot = new Slot(now + expectedMillis);
            running.add(slot);
            return new Decision(slot, 0, 0);
        }
        // A returning client keeps its place; a newcomer goes to the back.
        int ahead = reserved ? place : queue.size();
        long retryAfter = Math.max(MIN_RETRY_MILLIS, nextSlot(now, ahead) - now);
        if (reserved || queue.size() < queueLimit) {
            queue.add(ahead, new Reservation(who, now + retryAfter, now + retryAfter + graceMillis(retryAfter)));
        }
        return new Decision(null, retryAfter, ahead + 1);
    }

    synchronized void release(Slot slot) {
        running.remove(slot);
    }

    synchronized int running() {
        return running.size();
    }

    synchronized int queueLength() {
        long now = clockMillis.getAsLong();
        queue.removeIf(r -> r.expiresMillis < now);
        return queue.size();
    }

    int maxConcurrent() {
        return maxConcurrent;
    }

    /** Clients back off with up to ~20 % jitter; keep the place that long, and at least 10 s. */
    static long graceMillis(long retryAfterMillis) {
        return Math.max(10_000, retryAfterMillis / 4);
    }

    /** When a slot frees for one more client, after the running tests and {@code ahead} queued ones. */
    private long nextSlot(long now, int ahead) {
        PriorityQueue<Long> freeAt = new PriorityQueue<>();
        for (Slot s : running) {
            freeAt.add(Math.max(now, s.expectedEndMillis));
        }
        while (freeAt.size() < maxConcurrent) {
            freeAt.add(now);
        }
        for (int i = 0; i < ahead; i++) {
            freeAt.add(freeAt.poll() + maxDurationMillis);
        }
        return freeAt.poll();
    }

    private int indexOf(String who) {
        for (int i = 0; i < queue.size(); i++) {
            if (queue.get(i).who.equals(who)) {
                return i;
            }
        }
        return -1;
    }
}
