package io.linkprobe.common.responder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.common.stamp.SenderOptions;
import io.linkprobe.common.stamp.StampSender;
import io.linkprobe.common.testing.EventLoops;
import io.linkprobe.common.throughput.client.ThroughputClient;
import io.linkprobe.common.throughput.protocol.ServerStatus;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** One responder for the agent's command and the collector: what the options turn on is what listens. */
@Timeout(30)
class ResponderTest {
    @RegisterExtension
    static final EventLoops loops = new EventLoops(2, "responder-test");

    static final ResponderOptions LOOPBACK_ANY_PORT = ResponderOptions.defaults().withBindAddress("127.0.0.1")
            .withPorts(0, 0);

    @Test
    void defaultsAreTheDocumentedOnes() {
        ResponderOptions d = ResponderOptions.defaults();
        assertEquals("0.0.0.0", d.bindAddress());
        assertEquals(862, d.stampPort());
        assertEquals(9863, d.throughputPort());
        assertEquals(1, d.maxConcurrentTests());
        assertEquals(Duration.ofSeconds(30), d.maxDuration());
        assertEquals(32L << 30, d.maxBytes());
        assertFalse(d.busyPoll());
        assertFalse(d.serverOptions().authenticated());
    }

    @Test
    void bothPartsAnswerWithTheGivenLimits() throws Exception {
        try (Responder r = Responder.start(LOOPBACK_ANY_PORT.withMaxConcurrentTests(3), loops.group())) {
            assertEquals(10, reflected(r));
            ServerStatus status = new ThroughputClient(loops.group())
                    .status("127.0.0.1", r.throughput().orElseThrow().localPort(), Duration.ofSeconds(5))
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertEquals(3, status.maxConcurrentTests());
        }
    }

    @Test
    void aPartSetOffDoesNotListen() throws Exception {
        try (Responder r = Responder.start(LOOPBACK_ANY_PORT.withPorts(ResponderOptions.OFF, 0), loops.group())) {
            assertTrue(r.reflector().isEmpty());
            assertTrue(r.throughput().isPresent());
        }
        try (Responder r = Responder.start(LOOPBACK_ANY_PORT.withPorts(0, ResponderOptions.OFF), loops.group())) {
            assertTrue(r.reflector().isPresent());
            assertTrue(r.throughput().isEmpty());
        }
        assertThrows(IllegalArgumentException.class,
                () -> LOOPBACK_ANY_PORT.withPorts(ResponderOptions.OFF, ResponderOptions.OFF));
        assertThrows(IllegalArgumentException.class, () -> LOOPBACK_ANY_PORT.withMaxConcurrentTests(0));
    }

    @Test
    void busyPollGivesTheReflectorASpinningLoopOfItsOwn() throws Exception {
        try (Responder r = Responder.start(LOOPBACK_ANY_PORT.withBusyPoll(true), loops.group())) {
            assertEquals(10, reflected(r));
            assertTrue(Thread.getAllStackTraces().keySet().stream()
                    .anyMatch(t -> t.getName().startsWith("linkprobe-stamp")), "a linkprobe-stamp thread");
        }
    }

    @Test
    void aTakenPortIsNamedWithTheSettingThatMovesIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Responder.BindException e = assertThrows(Responder.BindException.class, () -> Responder.start(
                    LOOPBACK_ANY_PORT.withPorts(0, taken.getLocalPort()), loops.group()));
            assertEquals(Responder.Part.THROUGHPUT, e.part());
            assertTrue(e.explain("--throughput-port").contains("change --throughput-port"), e.explain("x"));
        }
        try (DatagramSocket taken = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Responder.BindException e = assertThrows(Responder.BindException.class, () -> Responder.start(
                    LOOPBACK_ANY_PORT.withPorts(taken.getLocalPort(), 0), loops.group()));
            assertEquals(Responder.Part.STAMP, e.part());
            assertTrue(e.explain("responder.stamp_port").contains("responder.stamp_port"), e.explain("x"));
        }
    }

    private static long reflected(Responder r) throws Exception {
        InetSocketAddress at = new InetSocketAddress("127.0.0.1", r.reflector().orElseThrow().localPort());
        try (StampSender sender = StampSender.open(loops.group(), at,
                SenderOptions.defaults().withMeanInterval(Duration.ofMillis(5)))) {
            return sender.runCount(10, "hub").toCompletableFuture().get(10, TimeUnit.SECONDS).received();
        }
    }
}
