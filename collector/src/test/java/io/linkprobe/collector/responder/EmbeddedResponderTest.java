package io.linkprobe.collector.responder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.collector.Collector;
import io.linkprobe.collector.CollectorStartException;
import io.linkprobe.collector.MutableClock;
import io.linkprobe.collector.TestCollector;
import io.linkprobe.common.auth.Tokens;
import io.linkprobe.collector.config.CollectorConfig;
import io.linkprobe.common.stamp.SenderOptions;
import io.linkprobe.common.stamp.StampSender;
import io.linkprobe.common.net.Transports;
import io.netty.channel.EventLoopGroup;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seam the STAMP reflector and throughput server plug into: started, listed, stopped with the collector. */
class EmbeddedResponderTest {
    @TempDir
    Path dir;

    /** Binds a real UDP port, as the STAMP reflector will. */
    static final class UdpPart implements ResponderPart {
        final DatagramSocket socket;
        final AtomicInteger closed;

        UdpPart(AtomicInteger closed) throws Exception {
            this.socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
            this.closed = closed;
        }

        @Override
        public String name() {
            return STAMP;
        }

        @Override
        public int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() {
            socket.close();
            closed.incrementAndGet();
        }
    }

    CollectorConfig config(boolean enabled) throws Exception {
        Path tokens = Files.writeString(dir.resolve("tokens"), Tokens.fileLine("t", "s") + "\n");
        return CollectorConfig.defaults(tokens).withHttp(CollectorConfig.Http.loopback(0))
                .withArchive(CollectorConfig.Archive.sqlite(dir.resolve("c.db")))
                .withResponder(new CollectorConfig.Responder(enabled, 0, 0, 2, null, null));
    }

    @Test
    void enabledResponderStartsWithTheCollectorAndStopsWithIt() throws Exception {
        AtomicInteger closed = new AtomicInteger();
        CollectorConfig.Responder[] seen = new CollectorConfig.Responder[1];
        ResponderFactory factory = (config, keys, registry, group) -> {
            seen[0] = config;
            return List.of(new UdpPart(closed));
        };
        int port;
        try (Collector c = Collector.start(config(true),
                Collector.Options.defaults().withClock(MutableClock.now()).withResponders(factory))) {
            port = c.responder().port(ResponderPart.STAMP).orElseThrow();
            assertTrue(port > 0);
            assertEquals(2, seen[0].maxConcurrentTests());
            assertEquals(0, closed.get());
        }
        assertEquals(1, closed.get());
        try (DatagramSocket again = new DatagramSocket(port, InetAddress.getLoopbackAddress())) {
            assertEquals(port, again.getLocalPort(), "the port was released");
        }
    }

    @Test
    void disabledResponderIsNotStarted() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (Collector c = Collector.start(config(false), Collector.Options.defaults()
                .withResponders((config, keys, registry, group) -> {
                    calls.incrementAndGet();
                    return List.of();
                }))) {
            assertFalse(c.responder().enabled());
            assertTrue(c.responder().port(ResponderPart.STAMP).isEmpty());
        }
        assertEquals(0, calls.get());
    }

    @Test
    void responderThatCannotStartStopsTheCollectorWithTheReason() throws Exception {
        CollectorConfig config = config(true);
        CollectorStartException e = assertThrows(CollectorStartException.class, () -> Collector.start(config,
                Collector.Options.defaults().withResponders((c, keys, registry, group) -> {
                    throw new IllegalStateException("STAMP port 862 is taken; change responder.stamp_port");
                })));
        assertEquals("cannot start the embedded responder: STAMP port 862 is taken; change responder.stamp_port",
                e.getMessage());
        // Everything started before the failure was closed again: the archive opens afresh.
        try (Collector again = Collector.start(config.withResponder(CollectorConfig.Responder.DISABLED))) {
            assertTrue(again.httpPort() > 0);
        }
    }

    @Test
    void realResponderWithBusyPollAnswersAndItsMetersCount() throws Exception {
        EventLoopGroup group = Transports.group(1, "embedded-test");
        try (TestCollector c = TestCollector.start(dir, Map.of("s", "t"), MutableClock.now(),
                cfg -> cfg.withResponder(new CollectorConfig.Responder(true, 0, 0, 1, null, true)))) {
            int stamp = c.collector.responder().port(ResponderPart.STAMP).orElseThrow();
            assertTrue(c.collector.responder().port(ResponderPart.THROUGHPUT).isPresent());
            try (StampSender sender = StampSender.open(group, new InetSocketAddress("127.0.0.1", stamp),
                    SenderOptions.defaults().withMeanInterval(Duration.ofMillis(5)))) {
                assertEquals(10, sender.runCount(10, "hub").toCompletableFuture().get(10, TimeUnit.SECONDS).received());
            }
            assertTrue(Thread.getAllStackTraces().keySet().stream()
                    .anyMatch(t -> t.getName().startsWith("linkprobe-stamp")), "busy_poll: a reflector loop of its own");

            String metrics = c.metrics();
            assertTrue(metrics.contains("linkprobe_collector_stamp_reflected_total 10.0"), metrics);
            assertTrue(metrics.contains("linkprobe_collector_stamp_malformed_total 0.0"), metrics);
            assertTrue(metrics.contains("linkprobe_collector_stamp_sessions 1.0"), metrics);
            assertTrue(metrics.contains("linkprobe_collector_throughput_running 0.0"), metrics);
            assertTrue(metrics.contains("linkprobe_collector_throughput_queue 0.0"), metrics);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
