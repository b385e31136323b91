package io.linkprobe.common.throughput.measurement;

import io.linkprobe.common.net.CongestionControl;
import io.linkprobe.common.wire.ThroughputResult;
import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.epoll.EpollTcpInfo;
import java.util.Collection;

/**
 * Kernel TCP_INFO of a test's sending connections, combined: lowest RTT, retransmits and cwnd
 * summed over the streams.
 *
 * <p>Netty's {@link EpollTcpInfo} stops at {@code tcpi_total_retrans} and has no
 * {@code tcpi_min_rtt}, so "min RTT" is the lowest smoothed RTT ({@code tcpi_rtt}) sampled on the
 * sending connections: once when the load starts (idle, from the handshake) and once at the end.
 * The cwnd is summed because N streams together hold N windows in flight.
 *
 * @param minRttMicros lowest smoothed RTT sampled, microseconds
 * @param retransmits {@code tcpi_total_retrans} summed over the streams
 * @param sendCwndSegments {@code tcpi_snd_cwnd} summed over the streams, at the end
 * @param congestionControl the sending sockets' {@code TCP_CONGESTION}; null if unknown
 */
public record TcpStats(long minRttMicros, long retransmits, long sendCwndSegments, String congestionControl) {

    /** Samples one connection; null on NIO or if the socket is already closed. */
    static TcpStats sample(Channel ch) {
        if (!(ch instanceof EpollSocketChannel epoll) || !ch.isOpen()) {
            return null;
        }
        try {
            EpollTcpInfo info = epoll.tcpInfo();
            return new TcpStats(info.rtt(), info.totalRetrans(), info.sndCwnd(), CongestionControl.of(ch));
        } catch (RuntimeException closedMeanwhile) {
            return null;
        }
    }

    /** Lowest RTT of the two, retransmits and cwnd from the later sample. */
    static TcpStats later(TcpStats earlier, TcpStats later) {
        if (earlier == null) {
            return later;
        }
        if (later == null) {
            return earlier;
        }
        return new TcpStats(minRtt(earlier.minRttMicros, later.minRttMicros), later.retransmits,
                later.sendCwndSegments, either(later.congestionControl, earlier.congestionControl));
    }

    /** Combines the streams of one test; null if none had TCP_INFO. */
    public static TcpStats combine(Collection<TcpStats> perStream) {
        TcpStats sum = null;
        for (TcpStats s : perStream) {
            if (s == null) {
                continue;
            }
            sum = sum == null ? s : new TcpStats(minRtt(sum.minRttMicros, s.minRttMicros),
                    sum.retransmits + s.retransmits, sum.sendCwndSegments + s.sendCwndSegments,
                    either(sum.congestionControl, s.congestionControl));
        }
        return sum;
    }

    /** The lower RTT; 0 means "not measured yet" (a fresh socket) and loses to any real value. */
    static long minRtt(long a, long b) {
        return a == 0 ? b : b == 0 ? a : Math.min(a, b);
    }

    private static String either(String first, String second) {
        return first != null ? first : second;
    }

    public ThroughputResult.TcpInfo toWire() {
        return new ThroughputResult.TcpInfo(minRttMicros, retransmits, sendCwndSegments, congestionControl);
    }
}
