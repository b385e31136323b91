package io.linkprobe.common.wire;

/**
 * The collector's answer to a push: the highest sequence of this agent that is durably stored,
 * and whether this batch was new or a replay already stored.
 */
public record PushAck(long ackedSequence, boolean duplicate) {}
