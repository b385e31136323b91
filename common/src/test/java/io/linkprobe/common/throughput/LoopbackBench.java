package io.linkprobe.common.throughput;

import io.linkprobe.common.net.Transports;
import io.linkprobe.common.wire.ThroughputResult;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Throwaway benchmark harness until the agent CLI exists (bench/throughput-loopback.sh --harness):
 * {@code server PORT} runs a responder; {@code client PORT SECONDS down|up} runs one test and prints
 * the same JSON shape as {@code agent test --json}. One event loop thread per process, as iperf3 has.
 */
public final class LoopbackBench {
    private LoopbackBench() {}

    public static void main(String[] args) throws Exception {
        EventLoopGroup group = Transports.group(1, "bench");
        int port = Integer.parseInt(args[1]);
        if (args[0].equals("server")) {
            ThroughputServer.start(group, new InetSocketAddress("127.0.0.1", port),
                    ServerOptions.defaults().withLimits(Duration.ofSeconds(60), Long.MAX_VALUE));
            Thread.sleep(Long.MAX_VALUE);
        }
        ThroughputRequest request = ThroughputRequest.to("127.0.0.1", port)
                .withLimits(Duration.ofSeconds(Integer.parseInt(args[2])), 0)
                .withDirections(Direction.parse(args[3]));
        ThroughputResult r = new ThroughputClient(group).run(request).toCompletableFuture()
                .get(120, TimeUnit.SECONDS).get(0);
        String key = r.direction().equals("down") ? "download" : "upload";
        System.out.printf(Locale.ROOT, "{\"%s\":{\"bits_per_second\":%.0f,\"mean_bits_per_second\":%.0f,"
                + "\"bytes\":%d,\"seconds\":%.3f,\"stable\":%b,\"retransmits\":%s,\"result\":\"%s\"}}%n",
                key, r.steadyBytesPerSecond() * 8, r.meanBytesPerSecond() * 8, r.bytes(), r.seconds(), r.stable(),
                r.tcp() == null ? "null" : r.tcp().retransmits(), r.result());
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
