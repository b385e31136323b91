package io.linkprobe.common.throughput.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.common.testing.EventLoops;
import io.linkprobe.common.throughput.protocol.ControlMessage;
import io.linkprobe.common.throughput.protocol.ControlMessage.Accept;
import io.linkprobe.common.throughput.protocol.ControlMessage.Hello;
import io.linkprobe.common.throughput.protocol.ControlMessage.Result;
import io.linkprobe.common.throughput.protocol.ControlMessage.Start;
import io.linkprobe.common.throughput.protocol.Direction;
import io.linkprobe.common.throughput.protocol.RawClient;
import io.linkprobe.common.throughput.protocol.StopReason;
import io.linkprobe.common.throughput.protocol.TestId;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The server holds every test to its limits, whatever a (raw, misbehaving) client asks or does. */
@Timeout(30)
class ServerLimitsTest {
    @RegisterExtension
    static final EventLoops loops = new EventLoops(1, "limits-test");
    private ThroughputServer server;

    @AfterEach
    void close() {
        server.close();
    }

    private int start(Duration maxDuration, long maxBytes) throws IOException {
        server = ThroughputServer.start(loops.group(), new InetSocketAddress("127.0.0.1", 0),
                ServerOptions.defaults().withLimits(maxDuration, maxBytes));
        return server.localPort();
    }

    private static Hello hello(TestId id, Direction direction, long durationMillis, long bytes) {
        return new Hello(1, id, direction, 1, 100, durationMillis, bytes, System.currentTimeMillis(), "", null);
    }

    @Test
    void aDownloadEndsAtTheServersMaxDurationEvenIfTheClientAskedMoreAndNeverStops() throws Exception {
        int port = start(Duration.ofSeconds(1), 1L << 40);
        TestId id = TestId.random();
        try (RawClient control = RawClient.control(port)) {
            control.send(hello(id, Direction.DOWN, 60_000, 0));
            Accept accept = (Accept) control.receive();
            assertEquals(1_000, accept.grantedDurationMillis());
            long bytes;
            try (Socket data = RawClient.data(port, id, 0)) {
                assertInstanceOf(Start.class, control.receive());
                long t0 = System.nanoTime();
                bytes = RawClient.drain(data);
                double seconds = (System.nanoTime() - t0) / 1e9;
                assertTrue(seconds > 0.8 && seconds < 3, "data ended after " + seconds + " s");
            }
            Result result = (Result) control.receive();
            assertEquals(StopReason.DURATION_LIMIT, result.reason());
            assertEquals(bytes, result.bytes(), "the server counts what it sent");
        }
    }

    @Test
    void anUploadBeyondTheGrantedBytesIsCut() throws Exception {
        long maxBytes = 1 << 20;
        int port = start(Duration.ofSeconds(10), maxBytes);
        TestId id = TestId.random();
        try (RawClient control = RawClient.control(port)) {
            control.send(hello(id, Direction.UP, 10_000, 1L << 40));
            assertEquals(maxBytes, ((Accept) control.receive()).grantedBytes());
            try (Socket data = RawClient.data(port, id, 0)) {
                assertInstanceOf(Start.class, control.receive());
                OutputStream out = data.getOutputStream();
                byte[] chunk = new byte[64 * 1024];
                long written = 0;
                long limit = 1L << 30;
                try {
                    while (written < limit) {
                        out.write(chunk);
                        written += chunk.length;
                    }
                } catch (IOException cut) {
                    // expected: the server closed the data connection
                }
                assertTrue(written < limit, "cut before 1 GiB, wrote " + written);
                Result result = (Result) control.receive();
                assertEquals(StopReason.BYTES_LIMIT, result.reason());
                assertTrue(result.bytes() > maxBytes, "counted " + result.bytes());
            }
        }
    }

    @Test
    void anUploadOverrunningTheDurationIsCutAfterTheGrace() throws Exception {
        int port = start(Duration.ofSeconds(1), 1L << 40);
        TestId id = TestId.random();
        try (RawClient control = RawClient.control(port)) {
            control.send(hello(id, Direction.UP, 60_000, 0));
            assertEquals(1_000, ((Accept) control.receive()).grantedDurationMillis());
            try (Socket data = RawClient.data(port, id, 0)) {
                assertInstanceOf(Start.class, control.receive());
                long t0 = System.nanoTime();
                OutputStream out = data.getOutputStream();
                assertThrows(IOException.class, () -> {
                    for (int i = 0; i < 2_000; i++) {
                        out.write(new byte[1024]);
                        Thread.sleep(5);
                    }
                });
                double seconds = (System.nanoTime() - t0) / 1e9;
                double cutAt = 1 + ServerSession.DRAIN_GRACE_MILLIS / 1000.0;
                assertTrue(seconds > cutAt - 0.5 && seconds < cutAt + 2, "cut after " + seconds + " s");
                ControlMessage msg = control.receive();
                while (msg instanceof ControlMessage.Report) {
                    msg = control.receive();
                }
                assertEquals(StopReason.DURATION_LIMIT, ((Result) msg).reason());
            }
        }
    }

    @Test
    void aDataConnectionForATestNobodyAcceptedGetsNothingAndIsClosed() throws Exception {
        int port = start(Duration.ofSeconds(1), 1 << 20);
        try (Socket data = RawClient.data(port, TestId.random(), 0)) {
            assertEquals(0, RawClient.drain(data));
        }
    }

    @Test
    void somethingThatIsNotLinkprobeIsClosed() throws Exception {
        int port = start(Duration.ofSeconds(1), 1 << 20);
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.getOutputStream().write("GET / HTTP/1.1\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertEquals(0, RawClient.drain(s));
        }
    }

    /**
     * The client's STOP may cross the server's RESULT. The server half-closes after RESULT, so the
     * STOP does not draw a reset, and a reset cannot make the client's kernel discard the RESULT
     * it has not read yet (seen as a flaky "Connection reset by peer" under load).
     */
    @Test
    void aStopCrossingTheResultDoesNotCostTheClientItsResult() throws Exception {
        int port = start(Duration.ofSeconds(10), 64 * 1024);
        TestId id = TestId.random();
        try (RawClient control = RawClient.control(port)) {
            control.send(hello(id, Direction.DOWN, 10_000, 64 * 1024));
            assertInstanceOf(Accept.class, control.receive());
            try (Socket data = RawClient.data(port, id, 0)) {
                assertInstanceOf(Start.class, control.receive());
                assertEquals(64 * 1024, RawClient.drain(data));
            }
            // The server now sends RESULT. Let it arrive unread, then send the STOP a client sends
            // when its own limit fires at the same moment, and let any answer to that arrive too.
            Thread.sleep(300);
            control.send(new ControlMessage.Stop(StopReason.BYTES_LIMIT));
            Thread.sleep(300);
            Result result = (Result) control.receive();
            assertEquals(StopReason.BYTES_LIMIT, result.reason());
            assertEquals(64 * 1024, result.bytes());
            assertTrue(control.closedByServer(), "the server ends the connection after RESULT");
        }
    }
}
