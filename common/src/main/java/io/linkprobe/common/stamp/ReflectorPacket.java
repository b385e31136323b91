package io.linkprobe.common.stamp;

/**
 * A decoded Session-Reflector test packet (see {@link StampMode} for the layout).
 *
 * @param seq the reflector's own sequence number (stateful) or a copy of the sender's (stateless)
 * @param timestamp NTP time the reflector sent this reply (T3)
 * @param errorEstimate the reflector's Error Estimate field
 * @param ssid the SSID copied from the request
 * @param receiveTimestamp NTP time the reflector received the request (T2)
 * @param senderSeq the request's sequence number
 * @param senderTimestamp the request's timestamp (T1)
 * @param senderErrorEstimate the request's Error Estimate field
 * @param senderTtl the request's IP TTL as the reflector saw it (0 from this implementation: unknown)
 * @param length the UDP payload length
 */
public record ReflectorPacket(long seq, long timestamp, int errorEstimate, int ssid, long receiveTimestamp,
        long senderSeq, long senderTimestamp, int senderErrorEstimate, int senderTtl, int length) {}
