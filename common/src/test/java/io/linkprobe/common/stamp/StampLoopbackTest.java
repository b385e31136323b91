package io.linkprobe.common.stamp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.common.testing.EventLoops;
import io.linkprobe.common.wire.LatencyWindow;
import io.linkprobe.common.wire.Plausibility;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Sender and reflector on real sockets on loopback, port 0, with a misbehaving relay in between. */
class StampLoopbackTest {
    @RegisterExtension
    static final EventLoops loops = new EventLoops(2, "stamp-test");
    static final InetSocketAddress ANY_LOOPBACK_PORT = new InetSocketAddress("127.0.0.1", 0);
    /** Fast probing; a timeout generous enough for a loaded 2-core machine. */
    static final SenderOptions FAST = SenderOptions.defaults()
            .withSchedule(ProbeSchedule.PERIODIC).withMeanInterval(Duration.ofMillis(5)).withTimeout(Duration.ofSeconds(1));
    StampReflector reflector;

    @BeforeEach
    void startReflector() {
        reflector = StampReflector.start(loops.group(), ANY_LOOPBACK_PORT, ReflectorOptions.defaults());
    }

    @AfterEach
    void stopReflector() {
        reflector.close();
    }

    @Test
    void everyPacketComesBackWithASaneRttAndExactCounts() throws Exception {
        assertTrue(reflector.localPort() > 0, "port 0 resolved to a real port");
        try (StampSender sender = StampSender.open(loops.group(), reflector.localAddress(), FAST.withPacketSize(200))) {
            LatencyWindow w = run(sender, 50);
            assertEquals("loop", w.target());
            assertEquals(50, w.sent());
            assertEquals(50, w.received());
            assertEquals(0, w.lost());
            assertEquals(0, w.duplicates());
            assertEquals(0, w.reordered());
            assertEquals(50, w.rttMicros().length);
            assertTrue(w.rtt().min() > 0 && w.rtt().max() < 500_000, "loopback RTT " + w.rtt());
            assertTrue(w.rtt().min() <= w.rtt().p50() && w.rtt().p50() <= w.rtt().p99() && w.rtt().p99() <= w.rtt().max());
            assertEquals(50 * 200, w.bytesSent());
            assertEquals(50 * 200, w.bytesReceived());
            assertEquals(50 * 200, sender.bytesSent());
            assertEquals(50, reflector.reflectedTotal());
            assertEquals(1, reflector.activeSessions());
            assertFalse(sender.reflectorCountsOwnSequence(), "no forward loss: r == s throughout");
            assertTrue(w.startEpochMillis() <= w.endEpochMillis());
        }
    }

    @Test
    void worksOverIpv6() throws Exception {
        reflector.close();
        reflector = StampReflector.start(loops.group(), new InetSocketAddress("::1", 0), ReflectorOptions.defaults());
        try (StampSender sender = StampSender.open(loops.group(), reflector.localAddress(), FAST)) {
            assertEquals(5, run(sender, 5).received());
        }
    }

    @Test
    void relayDropsSplitExactlyIntoForwardAndBackwardLoss() throws Exception {
        try (UdpRelay relay = new UdpRelay(reflector.localAddress());
                StampSender sender = StampSender.open(loops.group(), relay.address(), FAST)) {
            relay.dropForward.addAll(List.of(3L, 7L));
            relay.dropBackward.add(5L);
            LatencyWindow w = run(sender, 20);
            assertEquals(20, w.sent());
            assertEquals(17, w.received());
            assertEquals(2, w.lostForward());
            assertEquals(1, w.lostBackward());
            assertEquals(18, reflector.reflectedTotal(), "the reflector saw all but the two dropped on the way out");
            assertTrue(sender.reflectorCountsOwnSequence());
        }
    }

    @Test
    void duplicatedReplyIsCountedNotDoubleReceived() throws Exception {
        try (UdpRelay relay = new UdpRelay(reflector.localAddress());
                StampSender sender = StampSender.open(loops.group(), relay.address(), FAST)) {
            relay.duplicateBackward.add(4L);
            LatencyWindow w = run(sender, 10);
            assertEquals(10, w.received());
            assertEquals(1, w.duplicates());
            assertEquals(0, w.lost());
        }
    }

    @Test
    void heldBackReplyIsCountedReordered() throws Exception {
        try (UdpRelay relay = new UdpRelay(reflector.localAddress());
                StampSender sender = StampSender.open(loops.group(), relay.address(), FAST)) {
            relay.holdBackward.add(6L);
            LatencyWindow w = run(sender, 10);
            assertEquals(10, w.received());
            assertEquals(1, w.reordered());
            assertEquals(0, w.lost());
        }
    }

    /** Reply 1 is held until reply 2 passes, a second later: past the 150 ms timeout, so lost, not an RTT. */
    @Test
    void aReplyHeldPastTheTimeoutIsLostAndNoRttExceedsTheTimeout() throws Exception {
        try (UdpRelay relay = new UdpRelay(reflector.localAddress());
                StampSender sender = StampSender.open(loops.group(), relay.address(),
                        FAST.withMeanInterval(Duration.ofSeconds(1)).withTimeout(Duration.ofMillis(150)))) {
            relay.holdBackward.add(1L);
            LatencyWindow w = run(sender, 3);
            assertEquals(2, w.received());
            assertEquals(1, w.lostBackward());
            assertEquals(150L, w.timeoutMillis());
            assertTrue(w.rtt().max() <= 150_000, w.toString());
        }
    }

    @Test
    void garbageIsCountedAndTheReflectorKeepsAnswering() throws Exception {
        try (DatagramSocket raw = new DatagramSocket()) {
            raw.send(new DatagramPacket(new byte[] {1, 2, 3}, 3, reflector.localAddress()));
            raw.send(new DatagramPacket(new byte[13], 13, reflector.localAddress())); // under TWAMP-Light's 14
            raw.send(new DatagramPacket(new byte[9500], 9500, reflector.localAddress()));
        }
        await(() -> reflector.malformedTotal() == 3, "three malformed datagrams counted");
        try (StampSender sender = StampSender.open(loops.group(), reflector.localAddress(), FAST)) {
            LatencyWindow w = run(sender, 5);
            assertEquals(5, w.received());
        }
        assertEquals(3, reflector.malformedTotal());
        assertEquals(5, reflector.reflectedTotal());
    }

    @Test
    void continuousProbingFollowsRateChangesAndEveryWindowBalances() throws Exception {
        try (StampSender sender = StampSender.open(loops.group(), reflector.localAddress(),
                SenderOptions.defaults().withMeanInterval(Duration.ofMillis(50)))) {
            AtomicInteger heard = new AtomicInteger();
            StampSender.Registration listening = sender.addRttListener(rtt -> heard.incrementAndGet());
            sender.start();
            assertThrows(IllegalStateException.class, sender::start);
            Thread.sleep(600);
            LatencyWindow slow = plausible(sender.drainWindow("slow"));
            sender.setMeanInterval(Duration.ofMillis(5));
            Thread.sleep(600);
            LatencyWindow fast = plausible(sender.drainWindow("fast"));
            listening.close();
            LatencyWindow tail = plausible(sender.drainWindow("tail"));
            for (LatencyWindow w : List.of(slow, fast)) {
                assertEquals(w.sent(), w.received() + w.lostForward() + w.lostBackward(), w.toString());
            }
            assertTrue(slow.sent() >= 3 && slow.sent() <= 40, "~12 expected at 50 ms: " + slow.sent());
            assertTrue(fast.sent() > 3 * slow.sent(), "rate went up: " + slow.sent() + " then " + fast.sent());
            // Every reply the listener heard is in a window: the two drained while it listened, plus
            // those that arrived between the last drain and closing it (they went to the tail window).
            long inWindows = slow.received() + fast.received();
            assertTrue(heard.get() >= inWindows && heard.get() <= inWindows + tail.received(),
                    "heard " + heard.get() + ", windows " + inWindows + " + tail " + tail.received());
            assertEquals(Duration.ofMillis(5), sender.meanInterval());
        }
    }

    @Test
    void forgottenSessionRestartsTheReflectorCountWithoutInventingLoss() throws Exception {
        reflector.close();
        reflector = StampReflector.start(loops.group(), ANY_LOOPBACK_PORT,
                ReflectorOptions.defaults().withSessionIdleTimeout(Duration.ofMillis(200)));
        try (StampSender sender = StampSender.open(loops.group(), reflector.localAddress(), FAST)) {
            assertEquals(0, run(sender, 3).lost());
            assertEquals(1, reflector.activeSessions());
            await(() -> reflector.activeSessions() == 0, "idle session forgotten");
            LatencyWindow again = run(sender, 3);
            assertEquals(3, again.received());
            assertEquals(0, again.lost());
            assertTrue(sender.reflectorCountsOwnSequence(), "sender 3 got reflector 0: a counter of its own");
        }
    }

    @Test
    void sessionsBeyondTheBoundEvictTheOldest() throws Exception {
        reflector.close();
        reflector = StampReflector.start(loops.group(), ANY_LOOPBACK_PORT, ReflectorOptions.defaults().withMaxSessions(2));
        for (int i = 0; i < 3; i++) {
            try (StampSender sender = StampSender.open(loops.group(), reflector.localAddress(), FAST)) {
                assertEquals(1, run(sender, 1).received());
            }
        }
        assertEquals(2, reflector.activeSessions());
        assertEquals(1, reflector.sessionsEvictedTotal());
    }

    @Test
    void authenticatedModeWorksWithTheKeyAndIsRefusedWithout() throws Exception {
        reflector.close();
        StampAuth key = StampPacketTest.KEY;
        reflector = StampReflector.start(loops.group(), ANY_LOOPBACK_PORT, ReflectorOptions.defaults().withAuth(key));
        try (StampSender sender = StampSender.open(loops.group(), reflector.localAddress(), FAST.withAuth(key))) {
            LatencyWindow w = run(sender, 5);
            assertEquals(5, w.received());
            assertEquals(5 * 112, w.bytesSent());
        }
        byte[] other = StampPacketTest.keyBytes();
        other[15] = 99;
        try (StampSender sender = StampSender.open(loops.group(), reflector.localAddress(),
                FAST.withAuth(new StampAuth(other)).withTimeout(Duration.ofMillis(200)))) {
            LatencyWindow w = run(sender, 3);
            assertEquals(0, w.received());
            assertEquals(3, w.lost());
        }
        assertEquals(3, reflector.malformedTotal());
    }

    @Test
    void aTargetWithNothingListeningLosesEveryPacketAndTheSenderSurvives() throws Exception {
        InetSocketAddress nobody;
        try (DatagramSocket s = new DatagramSocket(ANY_LOOPBACK_PORT)) {
            nobody = (InetSocketAddress) s.getLocalSocketAddress();
        }
        try (StampSender sender = StampSender.open(loops.group(), nobody, FAST.withTimeout(Duration.ofMillis(200)))) {
            LatencyWindow first = run(sender, 3);
            assertEquals(3, first.sent());
            assertEquals(3, first.lostForward(), "no reply at all: direction unknown, counted forward");
            assertEquals(3, run(sender, 3).sent(), "the socket is still usable after ICMP errors");
        }
    }

    @Test
    void closingFailsARunInProgressAndRefusesNewOnes() throws Exception {
        StampSender sender = StampSender.open(loops.group(), reflector.localAddress(), FAST.withMeanInterval(Duration.ofSeconds(1)));
        var pending = sender.runCount(100, "x").toCompletableFuture();
        sender.close();
        assertThrows(CancellationException.class, () -> pending.get(5, TimeUnit.SECONDS));
        assertThrows(IllegalStateException.class, sender::start);
    }

    /**
     * Runs {@code count} packets and returns their window, after checking that it is plausible:
     * every window these tests produce (loss both ways, duplicates, reordering, late replies,
     * restarts, no reflector at all) is real sender output, which the collector must accept.
     */
    static LatencyWindow run(StampSender sender, int count) throws Exception {
        return plausible(sender.runCount(count, "loop").toCompletableFuture().get(15, TimeUnit.SECONDS));
    }

    static LatencyWindow plausible(LatencyWindow w) {
        Plausibility.Problem problem = Plausibility.check(w, Plausibility.TimeRange.agent(System.currentTimeMillis()));
        assertNull(problem, () -> "implausible " + problem + " in " + w);
        return w;
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting: " + what);
            }
            Thread.sleep(10);
        }
    }
}
