package io.linkprobe.collector.archive;

/** The write queue is full: the push is refused now (503 + Retry-After) rather than queued unboundedly. */
public final class ArchiveOverloadedException extends Exception {
    public ArchiveOverloadedException(String message) {
        super(message, null, false, false);
    }
}
