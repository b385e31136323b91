package io.linkprobe.agent.push;

import io.linkprobe.common.wire.Sample;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * An in-memory {@link Outbox} for tests, bounded by sample count; when full, the oldest pending samples are
 * dropped and counted. Production uses the durable {@link SqliteSpool}.
 * Sequence numbers come from a supplier so they stay increasing across restarts.
 */
final class MemoryOutbox implements Outbox {
    private final int maxSamples;
    private final LongSupplier nextSequence;
    private final Deque<Sample> pending = new ArrayDeque<>();
    private Batch open;
    private long dropped;

    MemoryOutbox(int maxSamples, LongSupplier nextSequence) {
        this.maxSamples = maxSamples;
        this.nextSequence = nextSequence;
    }

    @Override
    public synchronized void add(Sample sample) {
        pending.addLast(sample);
        while (pending.size() + openSize() > maxSamples && !pending.isEmpty()) {
            pending.removeFirst();
            dropped++;
        }
        notifyAll();
    }

    private int openSize() {
        return open == null ? 0 : open.samples().size();
    }

    @Override
    public synchronized Optional<Batch> nextBatch(int max) {
        if (open == null && !pending.isEmpty()) {
            List<Sample> samples = new ArrayList<>(Math.min(max, pending.size()));
            while (samples.size() < max && !pending.isEmpty()) {
                samples.add(pending.removeFirst());
            }
            open = new Batch(nextSequence.getAsLong(), List.copyOf(samples));
        }
        return Optional.ofNullable(open);
    }

    @Override
    public synchronized void remove(long sequence) {
        if (open != null && open.sequence() == sequence) {
            open = null;
        }
    }

    @Override
    public synchronized void shrink(long sequence, int keep) {
        if (open == null || open.sequence() != sequence || keep >= open.samples().size()) {
            return;
        }
        List<Sample> all = open.samples();
        for (int i = all.size() - 1; i >= keep; i--) {
            pending.addFirst(all.get(i));
        }
        open = new Batch(sequence, List.copyOf(all.subList(0, keep)));
    }

    @Override
    public synchronized long pendingSamples() {
        return pending.size() + openSize();
    }

    @Override
    public synchronized long approximateBytes() {
        // A 60 s latency window with ~300 RTT values is about 3 KiB of JSON.
        return pendingSamples() * 3072L;
    }

    @Override
    public synchronized long droppedTotal() {
        return dropped;
    }

    @Override
    public synchronized void awaitSamples(long timeoutMillis) throws InterruptedException {
        if (pending.isEmpty() && open == null) {
            wait(timeoutMillis);
        }
    }
}
