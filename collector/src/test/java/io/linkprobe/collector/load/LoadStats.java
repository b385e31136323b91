package io.linkprobe.collector.load;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one phase of a load run saw, counted from every agent's event loop. Retryable refusals
 * (429 and 503, retried after their {@code Retry-After}) are kept apart from errors, which are
 * everything else that is not an ack: other statuses, failed connects, connections lost with a
 * push in flight, pushes without an answer in time.
 */
final class LoadStats {
    final long startNanos = System.nanoTime();
    final LatencyHistogram ackLatency = new LatencyHistogram();
    final LongAdder acked = new LongAdder();
    final LongAdder duplicates = new LongAdder();
    final LongAdder windows = new LongAdder();
    final LongAdder rttValues = new LongAdder();
    final LongAdder samples = new LongAdder();
    final LongAdder bodyBytes = new LongAdder();
    final LongAdder retried429 = new LongAdder();
    final LongAdder retried503 = new LongAdder();
    final LongAdder late = new LongAdder();
    final LongAdder connectFailures = new LongAdder();
    final LongAdder connectionsLost = new LongAdder();
    final LongAdder timeouts = new LongAdder();
    private final Map<Integer, LongAdder> errorStatuses = new ConcurrentHashMap<>();

    void acked(PushBodies.Push push, long latencyNanos, boolean duplicate) {
        acked.increment();
        if (duplicate) {
            duplicates.increment();
        }
        windows.add(push.windows());
        rttValues.add(push.rttValues());
        samples.add(push.samples());
        bodyBytes.add(push.gzipped().length);
        ackLatency.recordMicros(latencyNanos / 1_000);
    }

    void retryable(int status) {
        (status == 429 ? retried429 : retried503).increment();
    }

    void errorStatus(int status) {
        errorStatuses.computeIfAbsent(status, s -> new LongAdder()).increment();
    }

    /** Every failure that is not a retried 429/503. */
    long errors() {
        return errorStatuses.values().stream().mapToLong(LongAdder::sum).sum()
                + connectFailures.sum() + connectionsLost.sum() + timeouts.sum();
    }

    Map<Integer, Long> errorStatuses() {
        Map<Integer, Long> copy = new TreeMap<>();
        errorStatuses.forEach((status, n) -> copy.put(status, n.sum()));
        return copy;
    }

    double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
