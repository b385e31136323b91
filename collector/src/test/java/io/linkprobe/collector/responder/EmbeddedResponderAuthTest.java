package io.linkprobe.collector.responder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.collector.TestCollector;
import io.linkprobe.collector.config.CollectorConfig;
import io.linkprobe.common.net.Transports;
import io.linkprobe.common.stamp.SenderOptions;
import io.linkprobe.common.stamp.StampSender;
import io.linkprobe.common.throughput.client.ThroughputClient;
import io.linkprobe.common.throughput.client.ThroughputRequest;
import io.linkprobe.common.throughput.protocol.Direction;
import io.linkprobe.common.wire.LatencyWindow;
import io.linkprobe.common.wire.ThroughputResult;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The collector's embedded responder is on by default and measures for agents: it reflects STAMP
 * and runs throughput tests signed with a site's own token, and refuses a test signed with any
 * other secret or claimed for another site.
 */
class EmbeddedResponderAuthTest {

    @Test
    void throughputTestSignedWithTheSitesTokenRunsAndAnyOtherIsRefused(@TempDir Path dir) throws Exception {
        EventLoopGroup group = Transports.group(1, "auth-test");
        try (TestCollector c = TestCollector.start(dir, Map.of("site-a", "token-a", "site-b", "token-b"),
                io.linkprobe.collector.MutableClock.now(),
                cfg -> cfg.withResponder(new CollectorConfig.Responder(true, 0, 0, 1, null, null)))) {
            int stamp = c.collector.responder().port(ResponderPart.STAMP).orElseThrow();
            int tput = c.collector.responder().port(ResponderPart.THROUGHPUT).orElseThrow();

            try (StampSender sender = StampSender.open(group, new InetSocketAddress("127.0.0.1", stamp),
                    SenderOptions.defaults().withMeanInterval(Duration.ofMillis(5)))) {
                LatencyWindow w = sender.runCount(10, "hub").toCompletableFuture().get(10, TimeUnit.SECONDS);
                assertEquals(10, w.received());
            }

            ThroughputClient client = new ThroughputClient(group);
            ThroughputRequest base = ThroughputRequest.to("127.0.0.1", tput)
                    .withDirections(List.of(Direction.DOWN)).withLimits(Duration.ofMillis(500), 0);

            ThroughputResult ok = client.run(base.withKey("site-a", "token-a")).toCompletableFuture().get().get(0);
            assertEquals("ok", ok.result(), ok.message());
            assertTrue(ok.bytes() > 0);

            ThroughputResult wrongToken = client.run(base.withKey("site-a", "token-b")).toCompletableFuture().get().get(0);
            assertEquals("auth_failed", wrongToken.result());
            assertEquals(0, wrongToken.bytes());

            ThroughputResult unsigned = client.run(base).toCompletableFuture().get().get(0);
            assertEquals("auth_failed", unsigned.result(), unsigned.message());

            ThroughputResult unknownSite = client.run(base.withKey("site-x", "token-a")).toCompletableFuture().get().get(0);
            assertEquals("auth_failed", unknownSite.result());
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
