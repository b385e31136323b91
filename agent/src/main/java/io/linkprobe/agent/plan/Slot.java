package io.linkprobe.agent.plan;

import io.linkprobe.common.wire.Plan;

/**
 * The place in time the collector reserved for one kind of test on its responder: a test starts at
 * every Unix time {@code t} (ms) with {@code (t - offsetMillis) mod everyMillis == 0}, read from the
 * agent's own (NTP-synchronised) clock, so that sites sharing a responder take turns without
 * talking to each other.
 */
public record Slot(long everyMillis, long offsetMillis) {
    public Slot {
        if (everyMillis <= 0 || offsetMillis < 0 || offsetMillis >= everyMillis) {
            throw new IllegalArgumentException("a slot needs every > 0 and 0 <= offset < every, was every "
                    + everyMillis + " ms, offset " + offsetMillis + " ms");
        }
    }

    /** The first start at or after {@code nowMillis}: {@link Plan#nextStartAtOrAfter(long, long, long)}. */
    public long nextStartAtOrAfter(long nowMillis) {
        return Plan.nextStartAtOrAfter(nowMillis, everyMillis, offsetMillis);
    }
}
