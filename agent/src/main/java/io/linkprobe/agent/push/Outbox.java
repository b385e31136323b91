package io.linkprobe.agent.push;

import io.linkprobe.common.wire.Sample;
import java.util.List;
import java.util.Optional;

/**
 * Results waiting for the collector's acknowledgement. A sample enters before any push is tried
 * and leaves only when the batch holding it is acked (or refused for good). Batches keep their
 * sequence number across retries, so the collector can store a replay once.
 */
public interface Outbox {

    /** A batch formed from the oldest pending samples, with its sequence fixed at formation. */
    record Batch(long sequence, List<Sample> samples) {}

    void add(Sample sample);

    /** The oldest unacknowledged batch, formed now from up to {@code maxSamples} if none is open. */
    Optional<Batch> nextBatch(int maxSamples);

    /** The batch was stored (or refused for good) by the collector; forget it. */
    void remove(long sequence);

    /** The collector said the batch is too large: keep its first {@code keep} samples under its sequence, requeue the rest. */
    void shrink(long sequence, int keep);

    long pendingSamples();

    long approximateBytes();

    /** Samples dropped, oldest first, because the outbox was full. */
    long droppedTotal();

    /** Blocks until a sample is added or the timeout passes. */
    void awaitSamples(long timeoutMillis) throws InterruptedException;
}
