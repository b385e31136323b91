package io.linkprobe.collector.http;

/** Counts refusals; the HTTP layer reports into it without knowing how it is exposed. */
@FunctionalInterface
public interface RejectionCounter {
    RejectionCounter NONE = reason -> {};

    void count(RejectReason reason);
}
