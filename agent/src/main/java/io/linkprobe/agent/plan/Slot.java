package io.linkprobe.agent.plan;

import io.linkprobe.common.wire.Plan;

/**
 * The place in time the collector reserved for one kind of test on its responder: a test starts at
 * every Unix time {@code t} (ms) with {@code (t - offsetMillis) mod everyMillis == 0}, read from the
 * agent's own (NTP-synchronised) clock, so that sites sharing a responder take turns without
 * talking to each other. The reservation lasts {@code lengthMillis} from each start; the next
 * site's test may start right after it, so a test that starts late must still end by then.
 *
 * @param lengthMillis how long each reservation lasts; 0 = not stated by the collector
 */
public record Slot(long everyMillis, long offsetMillis, long lengthMillis) {
    public Slot {
        if (everyMillis <= 0 || offsetMillis < 0 || offsetMillis >= everyMillis) {
            throw new IllegalArgumentException("a slot needs every > 0 and 0 <= offset < every, was every "
                    + everyMillis + " ms, offset " + offsetMillis + " ms");
        }
        if (lengthMillis < 0 || lengthMillis > everyMillis) {
            throw new IllegalArgumentException("a slot's length must be between 0 and its period, was "
                    + lengthMillis + " ms of " + everyMillis + " ms");
        }
    }

    /** The first start at or after {@code nowMillis}: {@link Plan#nextStartAtOrAfter(long, long, long)}. */
    public long nextStartAtOrAfter(long nowMillis) {
        return Plan.nextStartAtOrAfter(nowMillis, everyMillis, offsetMillis);
    }
}
