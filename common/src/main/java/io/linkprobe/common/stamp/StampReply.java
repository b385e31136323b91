package io.linkprobe.common.stamp;

/**
 * A reflector's reply as the sender's receive path hands it on.
 *
 * @param receivedNanos {@code System.nanoTime()} when the datagram was read
 * @param receivedEpochNanos the wall clock at the same moment (ns since 1970)
 * @param kernelEpochNanos the kernel's receive timestamp (ns since 1970, CLOCK_REALTIME), or -1
 *     where the socket has none (the Netty path)
 * @param wantOneWay the sender wants the wall-clock arrival for one-way delays
 */
record StampReply(ReflectorPacket packet, long receivedNanos, long receivedEpochNanos, long kernelEpochNanos,
        boolean wantOneWay) {

    /** T4 in NTP format for one-way delays (the kernel's time when usable), or 0 when not wanted. */
    long receivedNtp(boolean kernelUsed) {
        if (!wantOneWay) {
            return 0;
        }
        long t = kernelUsed ? kernelEpochNanos : receivedEpochNanos;
        return NtpTimestamp.fromEpoch(Math.floorDiv(t, 1_000_000_000L), (int) Math.floorMod(t, 1_000_000_000L));
    }
}
