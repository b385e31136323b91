package io.linkprobe.agent.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.agent.config.VideoSettings;
import io.linkprobe.common.net.Transports;
import io.linkprobe.common.stamp.ReflectorOptions;
import io.linkprobe.common.stamp.SenderOptions;
import io.linkprobe.common.stamp.StampReflector;
import io.linkprobe.common.video.AudioAssumptions;
import io.linkprobe.common.video.Thresholds;
import io.linkprobe.common.wire.VideoResult;
import io.netty.channel.EventLoopGroup;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The video test against a real reflector on loopback (port 0): every packet of every call is
 * accounted for, the ladder climbs to its top, and the contract and byte cap stop it where they
 * say. Verdicts on loopback depend on the machine's scheduling, so only the accounting is asserted.
 */
class VideoTestLoopbackTest {
    private static EventLoopGroup group;
    private static StampReflector reflector;

    @BeforeAll
    static void start() {
        group = Transports.group(2, "video-test");
        reflector = StampReflector.start(group, new InetSocketAddress("127.0.0.1", 0), ReflectorOptions.defaults());
    }

    @AfterAll
    static void stop() {
        reflector.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static VideoTest.Request request(int maxCalls, double contractBitsPerSecond, long maxBytes) {
        return new VideoTest.Request("hub", reflector.localAddress(), 1200, 1200, Duration.ofSeconds(5),
                Duration.ofSeconds(2), maxCalls, 46, contractBitsPerSecond, contractBitsPerSecond, maxBytes,
                Thresholds.DEFAULTS, AudioAssumptions.DEFAULTS, SenderOptions.defaults());
    }

    private static VideoResult run(VideoTest.Request r) throws Exception {
        List<Integer> started = new ArrayList<>();
        VideoResult result = new VideoTest(group).run(r, (calls, d) -> started.add(calls)).toCompletableFuture()
                .get(60, TimeUnit.SECONDS);
        List<Integer> steps = new ArrayList<>();
        result.ladder().forEach(s -> steps.add(s.calls()));
        assertEquals(started, steps, "the listener saw every step");
        return result;
    }

    @Test
    void everyPacketOfEveryCallIsAccountedForUpTheLadder() throws Exception {
        long before = reflector.reflectedTotal();
        VideoResult r = run(request(3, 0, 0));
        assertEquals("ok", r.result(), r.message());
        assertEquals(List.of(1, 2, 3), r.ladder().stream().map(VideoResult.Step::calls).toList());
        assertEquals(625, r.up().packets(), "5 s at one packet per 8 ms");
        assertEquals(r.up().packets(), r.up().lost() + r.down().packets(), "what was not lost up was sent back");
        assertEquals(5.0, r.seconds(), 1e-9);
        assertEquals(1200, r.rateKbps());
        assertEquals(46, r.dscp());
        assertNotNull(r.mos());
        assertNotNull(r.verdict());
        // 625 packets of one call, then 2 s steps of 250 packets per call: 625 + 2·250 + 3·250 each way.
        long packets = 625 + 2 * 250 + 3 * 250;
        long reflected = reflector.reflectedTotal() - before;
        assertTrue(reflected <= packets && reflected >= packets - 5, "the reflector answered " + reflected + " of " + packets);
        assertEquals(r.bytes(), r.ladder().stream().mapToLong(VideoResult.Step::bytes).sum());
        assertTrue(r.bytes() <= 2 * packets * 1200 && r.bytes() >= 2 * (packets - 5) * 1200, "payload both ways: " + r.bytes());
        if (!"not_ready".equals(r.ladder().get(r.ladder().size() - 1).verdict())) {
            assertEquals(3, r.calls());
            assertEquals("max_calls", r.callsLimit());
        }
    }

    @Test
    void theContractStopsTheLadderBeforeAStepThatExceedsIt() throws Exception {
        VideoResult r = run(request(8, 2_500_000, 0)); // 2.5 Mbit/s: two calls fit, three do not
        assertTrue(r.ladder().size() <= 2, "no step above the contract: " + r.ladder());
        if (r.ladder().size() == 2 && !"not_ready".equals(r.ladder().get(1).verdict())) {
            assertEquals("contract", r.callsLimit());
            assertEquals(2, r.calls());
        }
    }

    @Test
    void theByteCapStopsTheLadderBeforeAStepThatWouldPassIt() throws Exception {
        // The single call moves 1.5 MB; a 2-call step 1.2 MB more; a cap of 2 MB allows neither.
        VideoResult r = run(request(8, 0, 2_000_000));
        assertEquals(1, r.ladder().size());
        if (!"not_ready".equals(r.verdict())) {
            assertEquals("budget", r.callsLimit());
        }
        assertEquals(request(8, 0, 2_000_000).worstCaseBytes(), 1_500_000, "the budget is checked against this");
    }

    @Test
    void aSilentPortIsUnreachableNotAVerdict() throws Exception {
        int port;
        try (DatagramSocket s = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        VideoTest.Request r = new VideoTest.Request("nowhere", new InetSocketAddress("127.0.0.1", port), 1200, 1200,
                Duration.ofSeconds(5), Duration.ofSeconds(2), 8, 0, 0, 0, 0, Thresholds.DEFAULTS, AudioAssumptions.DEFAULTS,
                SenderOptions.defaults());
        VideoResult result = new VideoTest(group).run(r, VideoTest.Listener.NONE).toCompletableFuture().get(60, TimeUnit.SECONDS);
        assertEquals("unreachable", result.result());
        assertNull(result.verdict());
        assertTrue(result.message().contains("no STAMP replies from 127.0.0.1:" + port), result.message());
        assertEquals(625 * 1200, result.bytes(), "what was sent still counts against the budget");
    }

    @Test
    void theWorstCaseBytesAreTheWholeLadderWithinTheContract() {
        VideoTest.Request r = VideoTest.Request.of("hub", reflector.localAddress(), new VideoSettings(null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null), 5e6 / 8, 5e6 / 8,
                SenderOptions.defaults());
        // 20 s of one call (2 × 2500 × 1200 B) + 5 s steps of 2, 3 and 4 calls; 6 calls exceed 5 Mbit/s.
        assertEquals(2L * 2500 * 1200 + 2L * (2 + 3 + 4) * 625 * 1200, r.worstCaseBytes());
    }
}
