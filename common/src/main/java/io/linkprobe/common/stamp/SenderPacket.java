package io.linkprobe.common.stamp;

/**
 * A decoded Session-Sender test packet (see {@link StampMode} for the layout).
 *
 * @param seq the sequence number, 0 .. 2^32-1
 * @param timestamp NTP timestamp of transmission ({@link NtpTimestamp})
 * @param errorEstimate the 16-bit Error Estimate field ({@link ErrorEstimate})
 * @param ssid the Session-Sender Identifier of RFC 8972 §3
 * @param length the UDP payload length, base packet plus padding
 */
public record SenderPacket(long seq, long timestamp, int errorEstimate, int ssid, int length) {}
