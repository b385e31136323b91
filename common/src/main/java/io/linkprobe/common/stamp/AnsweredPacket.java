package io.linkprobe.common.stamp;

/**
 * One test packet that came back in time, as a {@link StampSender} reports it to its answer
 * listeners, in order of arrival: enough to split its round trip into the two one-way transits.
 *
 * <p>{@code forwardTransitNanos} is T2 − T1: the reflector's receive time less the sender's send
 * time, each on its own host's wall clock, so it carries the offset between the two clocks. The
 * backward transit is {@link #backwardTransitNanos()} = RTT − forward = T4 − T3 with the opposite
 * offset. Neither is a one-way delay unless the clocks agree, but the difference between two
 * packets' transits in the same direction is exact whatever the offset: what jitter (RFC 3550
 * §6.4.1) and delay variation (RFC 5481) are made of.
 *
 * @param senderSeq the request's sequence number (this sender counts from 0)
 * @param reflectorSeq the reflector's own sequence number for it (a stateful reflector counts the
 *     requests of the session in the order they reached it; a stateless one copies senderSeq)
 * @param rttNanos the round trip less the reflector's turnaround (T3 − T2), as the sender counts it
 * @param forwardTransitNanos T2 − T1, clock offset included
 */
public record AnsweredPacket(long senderSeq, long reflectorSeq, long rttNanos, long forwardTransitNanos) {

    /** T4 − T3 on the same footing: RTT − (T2 − T1). */
    public long backwardTransitNanos() {
        return rttNanos - forwardTransitNanos;
    }
}
