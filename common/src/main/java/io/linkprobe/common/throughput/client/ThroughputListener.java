package io.linkprobe.common.throughput.client;

import io.linkprobe.common.throughput.protocol.Direction;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Hooks into a running test: the progress line of the CLI, and latency under load (switch the STAMP
 * sender to its fast rate between {@link #loadStarted} and {@link #loadEnded}). Every method runs on
 * a Netty event loop and must return quickly; none may block.
 */
public interface ThroughputListener {
    ThroughputListener NONE = new ThroughputListener() {};

    /**
     * Before a direction's hello; the test waits for the returned stage (e.g. while the idle RTT is
     * measured on a quiet link). A failed stage ends that direction with outcome {@code error}.
     */
    default CompletionStage<?> beforeDirection(Direction direction) {
        return CompletableFuture.completedFuture(null);
    }

    /** The responder said START: from now the link carries the load. */
    default void loadStarted(Direction direction) {}

    /**
     * One measurement interval at the receiver (for uploads as the responder REPORTed it).
     *
     * @param bytesPerSecond this interval's goodput
     */
    default void interval(Direction direction, int index, long bytes, double bytesPerSecond) {}

    /** The load is over: every data connection has ended, the link is quiet again. */
    default void loadEnded(Direction direction) {}

    /** The responder was busy; the same advice is in the result's message. */
    default void busy(Direction direction, long retryAfterMillis, int queuePosition) {}
}
