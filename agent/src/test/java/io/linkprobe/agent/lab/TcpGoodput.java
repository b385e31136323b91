package io.linkprobe.agent.lab;

/**
 * The TCP goodput a shaped line can carry. tbf meters whole Ethernet frames: a full-sized segment
 * is 1514 bytes on the veth (14 Ethernet + 20 IP + 20 TCP + 12 timestamp option + 1448 payload),
 * so a receiver counting payload sees 1448/1514 = 95.6 % of the configured line rate.
 */
final class TcpGoodput {

    static final int MTU = 1500;
    static final int ETHERNET_HEADER = 14;
    static final int MSS_WITH_TIMESTAMPS = MTU - 20 - 20 - 12;

    private TcpGoodput() {
    }

    static double expectedBitsPerSecond(long lineRateBitsPerSecond) {
        return lineRateBitsPerSecond * (double) MSS_WITH_TIMESTAMPS / (MTU + ETHERNET_HEADER);
    }
}
