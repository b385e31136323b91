package io.linkprobe.common.throughput.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.common.testing.EventLoops;
import io.linkprobe.common.throughput.client.ThroughputClient;
import io.linkprobe.common.throughput.client.ThroughputListener;
import io.linkprobe.common.throughput.client.ThroughputRequest;
import io.linkprobe.common.throughput.protocol.Direction;
import io.linkprobe.common.throughput.protocol.ServerStatus;
import io.linkprobe.common.wire.ThroughputResult;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Busy, status and the outcomes a client reports when it gets no test. */
@Timeout(30)
class ServerAdmissionTest {
    @RegisterExtension
    static final EventLoops loops = new EventLoops(2, "admission-test");

    @Test
    void aSecondConcurrentTestIsBusyWithARetryAfterAndStatusShowsIt() throws Exception {
        try (ThroughputServer server = ThroughputServer.start(loops.group(), new InetSocketAddress("127.0.0.1", 0),
                ServerOptions.defaults())) {
            ThroughputClient client = new ThroughputClient(loops.group());
            ThroughputRequest request = ThroughputRequest.to("127.0.0.1", server.localPort())
                    .withLimits(Duration.ofSeconds(2), 0);
            CountDownLatch loaded = new CountDownLatch(1);
            CompletableFuture<List<ThroughputResult>> first = client.run(request, new ThroughputListener() {
                @Override
                public void loadStarted(Direction d) {
                    loaded.countDown();
                }
            }).toCompletableFuture();
            assertTrue(loaded.await(10, TimeUnit.SECONDS));

            AtomicLong retryAfter = new AtomicLong();
            List<ThroughputResult> second = client.run(request.withDirections(Direction.parse("both")),
                    new ThroughputListener() {
                        @Override
                        public void busy(Direction d, long retryAfterMillis, int queuePosition) {
                            retryAfter.set(retryAfterMillis);
                        }
                    }).toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertEquals("busy", second.get(0).result());
            assertTrue(retryAfter.get() > 0, "retry after " + retryAfter.get());
            assertTrue(second.get(0).message().contains("queue position 1"), second.get(0).message());
            assertEquals("busy", second.get(1).result(), "upload not attempted after a busy download");

            ServerStatus expected = new ServerStatus(1, 1, 1);
            assertEquals(expected, server.status());
            assertEquals(expected, client.status("127.0.0.1", server.localPort(), Duration.ofSeconds(5))
                    .toCompletableFuture().get(10, TimeUnit.SECONDS));

            assertEquals("ok", first.get(20, TimeUnit.SECONDS).get(0).result());
        }
    }

    @Test
    void aPortWithNobodyListeningIsRefused() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ThroughputResult r = new ThroughputClient(loops.group()).run(ThroughputRequest.to("127.0.0.1", port))
                .toCompletableFuture().get(10, TimeUnit.SECONDS).get(0);
        assertEquals("refused", r.result());
        assertEquals("connection refused by 127.0.0.1:" + port + ": no responder listening", r.message());
    }

    @Test
    void anUnresolvableHostIsUnreachable() throws Exception {
        ThroughputResult r = new ThroughputClient(loops.group()).run(ThroughputRequest.to("no-such-host.invalid", 9863))
                .toCompletableFuture().get(10, TimeUnit.SECONDS).get(0);
        assertEquals("unreachable", r.result());
        assertTrue(r.message().contains("no-such-host.invalid"), r.message());
    }
}
