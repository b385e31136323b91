package io.linkprobe.common.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.linkprobe.common.throughput.client.ThroughputClient;
import io.linkprobe.common.throughput.client.ThroughputRequest;
import io.linkprobe.common.throughput.protocol.Direction;
import io.linkprobe.common.throughput.server.ServerOptions;
import io.linkprobe.common.throughput.server.ThroughputServer;
import io.linkprobe.common.wire.ThroughputResult;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Each end sets the congestion control of the sockets it sends from, and a result names the one
 * its sender really used: downloads report the responder's, uploads the client's. Uses reno, which
 * every Linux host has and lets any process choose.
 */
class CongestionControlTest {

    @Test
    void aBadNameOrAnAlgorithmTheHostLacksIsRefusedWithTheFix() {
        assertEquals("'Cubic!' is not an algorithm name (e.g. cubic, bbr, reno)", CongestionControl.problem("Cubic!"));
        assumeTrue(Transports.epoll(), "epoll transport");
        String missing = CongestionControl.problem("nosuchcc");
        assertTrue(missing.startsWith("'nosuchcc' is not available on this host (available: "), missing);
        assertTrue(missing.endsWith("load its module (modprobe tcp_nosuchcc) or pick one of those"), missing);
        assertNull(CongestionControl.problem("reno"));
    }

    @Test
    void eachDirectionReportsTheAlgorithmItsSenderUsed() throws Exception {
        assumeTrue(Transports.epoll(), "TCP_CONGESTION needs the epoll transport");
        String hostDefault = Files.readString(Path.of("/proc/sys/net/ipv4/tcp_congestion_control")).trim();
        EventLoopGroup group = Transports.group(2, "cc-test");
        ThroughputServer server = ThroughputServer.start(group, new InetSocketAddress("127.0.0.1", 0),
                ServerOptions.defaults().withCongestionControl("reno"));
        try {
            ThroughputRequest base = ThroughputRequest.to("127.0.0.1", server.localPort())
                    .withDirections(List.of(Direction.DOWN, Direction.UP)).withLimits(Duration.ofMillis(400), 0);
            ThroughputClient client = new ThroughputClient(group);

            List<ThroughputResult> defaults = client.run(base).toCompletableFuture().get(30, TimeUnit.SECONDS);
            List<ThroughputResult> chosen = client.run(base.withCongestionControl("reno"))
                    .toCompletableFuture().get(30, TimeUnit.SECONDS);

            assertEquals("reno", defaults.get(0).tcp().congestionControl(), "download: the responder's choice");
            assertEquals(hostDefault, defaults.get(1).tcp().congestionControl(), "upload: the client's default");
            assertEquals("reno", chosen.get(1).tcp().congestionControl(), "upload: the client's choice");
        } finally {
            server.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
