package io.linkprobe.common.throughput.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.common.testing.EventLoops;
import io.linkprobe.common.throughput.client.ThroughputClient;
import io.linkprobe.common.throughput.client.ThroughputRequest;
import io.linkprobe.common.throughput.protocol.ControlMessage.Accept;
import io.linkprobe.common.throughput.protocol.ControlMessage.Hello;
import io.linkprobe.common.throughput.protocol.ControlMessage.Reject;
import io.linkprobe.common.throughput.protocol.Direction;
import io.linkprobe.common.throughput.protocol.HelloAuth;
import io.linkprobe.common.throughput.protocol.RawClient;
import io.linkprobe.common.throughput.protocol.RejectCode;
import io.linkprobe.common.throughput.protocol.TestId;
import io.linkprobe.common.throughput.protocol.ThroughputKeys;
import io.linkprobe.common.wire.ThroughputResult;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With keys configured, only a correctly signed, fresh hello gets a test, and a refused one no data. */
@Timeout(30)
class ServerAuthTest {
    @RegisterExtension
    static final EventLoops loops = new EventLoops(2, "auth-test");
    private static final String TOKEN = "token-of-site-a";
    private ThroughputServer server;
    private final LinkedBlockingQueue<ServedSession> served = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() throws Exception {
        Map<String, byte[]> keys = Map.of("site-a", ThroughputKeys.derive(TOKEN));
        KeyLookup lookup = keyId -> keys.containsKey(keyId) ? List.of(keys.get(keyId)) : List.of();
        server = ThroughputServer.start(loops.group(), new InetSocketAddress("127.0.0.1", 0),
                ServerOptions.defaults().withKeys(lookup));
        server.onTestServed(served::add);
    }

    @AfterEach
    void close() {
        server.close();
    }

    private ThroughputResult run(ThroughputRequest request) throws Exception {
        return new ThroughputClient(loops.group()).run(request).toCompletableFuture().get(20, TimeUnit.SECONDS).get(0);
    }

    private ThroughputRequest request() {
        return ThroughputRequest.to("127.0.0.1", server.localPort()).withLimits(Duration.ofMillis(500), 0);
    }

    private static Hello hello(TestId id, long clientTime) {
        return new Hello(1, id, Direction.DOWN, 1, 100, 1_000, 0, clientTime, "site-a", null);
    }

    @Test
    void theRightKeyGetsATest() throws Exception {
        ThroughputResult r = run(request().withKey("site-a", TOKEN));
        assertEquals("ok", r.result(), r.message());
        assertEquals("site-a", served.poll(5, TimeUnit.SECONDS).keyId());
    }

    @Test
    void aWrongKeyIsRefusedWithOneClearMessage() throws Exception {
        ThroughputResult r = run(request().withKey("site-a", "not the token"));
        assertEquals("auth_failed", r.result());
        assertTrue(r.message().contains("bad HMAC"), r.message());
        assertEquals(0, r.bytes());
        assertNull(served.poll(200, TimeUnit.MILLISECONDS), "no test was served");
    }

    @Test
    void anUnsignedHelloOrAnUnknownSiteIsRefused() throws Exception {
        assertTrue(run(request()).message().contains("requires a key"));
        ThroughputResult unknown = run(request().withKey("site-z", TOKEN));
        assertEquals("auth_failed", unknown.result());
        assertTrue(unknown.message().contains("unknown key id 'site-z'"), unknown.message());
    }

    @Test
    void aBadHmacGetsRejectAndItsTestIdNeverGetsData() throws Exception {
        int port = server.localPort();
        TestId id = TestId.random();
        try (RawClient control = RawClient.control(port)) {
            control.send(HelloAuth.sign(hello(id, System.currentTimeMillis()), ThroughputKeys.derive("guess")));
            Reject reject = (Reject) control.receive();
            assertEquals(RejectCode.AUTH, reject.code());
            assertTrue(control.closedByServer());
        }
        try (Socket data = RawClient.data(port, id, 0)) {
            assertEquals(0, RawClient.drain(data), "zero data bytes");
        }
    }

    @Test
    void aReplayedHelloIsRefused() throws Exception {
        Hello signed = HelloAuth.sign(hello(TestId.random(), System.currentTimeMillis()), ThroughputKeys.derive(TOKEN));
        try (RawClient first = RawClient.control(server.localPort())) {
            first.send(signed);
            assertInstanceOf(Accept.class, first.receive());
        }
        try (RawClient replay = RawClient.control(server.localPort())) {
            replay.send(signed);
            Reject reject = (Reject) replay.receive();
            assertEquals(RejectCode.REPLAY, reject.code());
            assertTrue(reject.reason().contains("already used"), reject.reason());
        }
    }

    @Test
    void aHelloFromTenMinutesAgoIsRefused() throws Exception {
        long tenMinutesAgo = System.currentTimeMillis() - 600_000;
        try (RawClient control = RawClient.control(server.localPort())) {
            control.send(HelloAuth.sign(hello(TestId.random(), tenMinutesAgo), ThroughputKeys.derive(TOKEN)));
            Reject reject = (Reject) control.receive();
            assertEquals(RejectCode.REPLAY, reject.code());
            assertTrue(reject.reason().contains("NTP"), reject.reason());
        }
    }
}
