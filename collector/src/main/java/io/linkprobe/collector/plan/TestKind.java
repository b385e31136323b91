package io.linkprobe.collector.plan;

/**
 * The kinds of test that need a slot on a responder of the pool. Each kind of a site gets its own
 * slot (its own period, length and rate), so a new kind (issue 11's video test) is one more member
 * here and one more block in the plan; the scheduler does not change.
 */
public enum TestKind {
    THROUGHPUT,
    /** The video-readiness test: a lane for the whole ladder, at up to {@code max_calls} × the call's rate. */
    VIDEO
}
