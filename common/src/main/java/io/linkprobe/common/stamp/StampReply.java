package io.linkprobe.common.stamp;

/**
 * A reflector's reply as the sender's pipeline hands it on.
 *
 * @param receivedNanos {@code System.nanoTime()} when the datagram was read
 * @param receivedNtp wall clock at the same moment, or 0 when the sender does not want one-way delays
 */
record StampReply(ReflectorPacket packet, long receivedNanos, long receivedNtp) {}
