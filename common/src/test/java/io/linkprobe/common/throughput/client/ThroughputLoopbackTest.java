package io.linkprobe.common.throughput.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.common.net.Transports;
import io.linkprobe.common.testing.EventLoops;
import io.linkprobe.common.throughput.protocol.Direction;
import io.linkprobe.common.throughput.protocol.ServerStatus;
import io.linkprobe.common.throughput.server.ServedSession;
import io.linkprobe.common.throughput.server.ServerOptions;
import io.linkprobe.common.throughput.server.ThroughputServer;
import io.linkprobe.common.wire.Plausibility;
import io.linkprobe.common.wire.ThroughputResult;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Real client against a real server on loopback, port 0. */
@Timeout(60)
class ThroughputLoopbackTest {
    @RegisterExtension
    static final EventLoops loops = new EventLoops(2, "throughput-test");
    /** Even a busy 2-core CI box moves far more than this over loopback. */
    private static final double PLAUSIBLE_MIN_BYTES_PER_SECOND = 10e6;

    private ThroughputServer server;
    private final LinkedBlockingQueue<ServedSession> served = new LinkedBlockingQueue<>();

    @AfterEach
    void closeServer() {
        if (server != null) {
            server.close();
        }
    }

    private ThroughputRequest start(ServerOptions options) throws Exception {
        server = ThroughputServer.start(loops.group(), new InetSocketAddress("127.0.0.1", 0), options);
        server.onTestServed(served::add);
        return ThroughputRequest.to("127.0.0.1", server.localPort()).withLimits(Duration.ofSeconds(2), 0);
    }

    private static List<ThroughputResult> run(ThroughputRequest request, ThroughputListener listener)
            throws Exception {
        List<ThroughputResult> results =
                new ThroughputClient(loops.group()).run(request, listener).toCompletableFuture().get(30, TimeUnit.SECONDS);
        // Real client output, whatever the test: the collector must accept it (Plausibility).
        for (ThroughputResult r : results) {
            Plausibility.Problem problem = Plausibility.check(r, Plausibility.TimeRange.agent(System.currentTimeMillis()));
            assertNull(problem, () -> "implausible " + problem + " in " + r);
        }
        return results;
    }

    @Test
    void downloadAndUploadOnLoopbackCountTheSameBytesOnBothSides() throws Exception {
        ThroughputRequest request = start(ServerOptions.defaults()).withDirections(Direction.parse("both"));
        List<String> events = new CopyOnWriteArrayList<>();
        List<ThroughputResult> results = run(request, new ThroughputListener() {
            @Override
            public void loadStarted(Direction d) {
                events.add("start " + d.wireName());
            }

            @Override
            public void loadEnded(Direction d) {
                events.add("end " + d.wireName());
            }
        });

        assertEquals(List.of("start down", "end down", "start up", "end up"), events);
        assertEquals(2, results.size());
        for (ThroughputResult r : results) {
            ServedSession s = served.poll(5, TimeUnit.SECONDS);
            assertNotNull(s, "server reported the test");
            assertEquals("ok", r.result(), r.message());
            assertEquals(s.direction().wireName(), r.direction());
            assertEquals(s.bytes(), r.bytes(), r.direction() + ": sender and receiver byte counts");
            assertTrue(r.meanBytesPerSecond() > PLAUSIBLE_MIN_BYTES_PER_SECOND, r.toString());
            assertTrue(r.steadyBytesPerSecond() > PLAUSIBLE_MIN_BYTES_PER_SECOND, r.toString());
            assertTrue(r.seconds() > 0.5 && r.seconds() < 3, "seconds " + r.seconds());
            assertFalse(r.intervalBytes().isEmpty());
            assertEquals(100, r.intervalMillis());
            assertNull(r.loaded());
            if (Transports.epoll()) {
                assertNotNull(r.tcp(), "TCP_INFO from the sending side");
                assertTrue(r.tcp().minRttMicros() > 0);
            }
            System.out.printf("%s: %.2f Gbit/s steady, %.2f mean, %d bytes in %.2f s, %s%n", r.direction(),
                    r.steadyBytesPerSecond() * 8e-9, r.meanBytesPerSecond() * 8e-9, r.bytes(), r.seconds(),
                    r.message());
        }
        assertEquals(new ServerStatus(0, 0, 1), server.status());
    }

    @Test
    void threeStreamsEachWayCountTheSameBytesOnBothSides() throws Exception {
        ThroughputRequest request = start(ServerOptions.defaults()).withDirections(Direction.parse("both"))
                .withStreams(3).withLimits(Duration.ofSeconds(1), 0);
        for (ThroughputResult r : run(request, ThroughputListener.NONE)) {
            ServedSession s = served.poll(5, TimeUnit.SECONDS);
            assertEquals("ok", r.result(), r.message());
            assertEquals(3, r.streams());
            assertEquals(3, s.streams());
            assertEquals(s.bytes(), r.bytes(), r.direction());
        }
    }

    @Test
    void aByteLimitIsMetToTheByte() throws Exception {
        long limit = 50_000_000;
        ThroughputRequest request = start(ServerOptions.defaults()).withDirections(Direction.parse("both"))
                .withStreams(2).withLimits(Duration.ofSeconds(10), limit);
        for (ThroughputResult r : run(request, ThroughputListener.NONE)) {
            assertEquals("ok", r.result(), r.message());
            assertEquals(limit, r.bytes(), r.direction());
            assertEquals(limit, served.poll(5, TimeUnit.SECONDS).bytes());
            assertTrue(r.message().contains("byte limit"), r.message());
        }
    }

    @Test
    void theServersLimitsWinAndTheResultSaysSo() throws Exception {
        ThroughputRequest request = start(ServerOptions.defaults().withLimits(Duration.ofMillis(500), 1L << 40))
                .withLimits(Duration.ofSeconds(5), 0);
        ThroughputResult r = run(request, ThroughputListener.NONE).get(0);
        assertEquals("ok", r.result());
        assertTrue(r.seconds() < 1.5, "ran " + r.seconds() + " s");
        assertTrue(r.message().contains("the responder allows at most 0.5 s"), r.message());
    }

    @Test
    void theProgressListenerSeesEveryIntervalOfTheSeries() throws Exception {
        ThroughputRequest request = start(ServerOptions.defaults()).withDirections(Direction.parse("both"))
                .withLimits(Duration.ofSeconds(1), 0).withInterval(50);
        List<String> seen = new CopyOnWriteArrayList<>();
        List<ThroughputResult> results = run(request, new ThroughputListener() {
            @Override
            public void interval(Direction d, int index, long bytes, double bytesPerSecond) {
                seen.add(d.wireName() + " " + bytes);
            }
        });
        for (ThroughputResult r : results) {
            assertEquals(50, r.intervalMillis());
            List<String> expected = r.intervalBytes().stream().map(b -> r.direction() + " " + b).toList();
            assertEquals(expected, seen.stream().filter(x -> x.startsWith(r.direction())).toList());
            assertTrue(r.intervalBytes().size() >= 10, "about 20 intervals of 50 ms in 1 s");
        }
    }
}
