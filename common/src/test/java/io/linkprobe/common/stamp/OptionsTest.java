package io.linkprobe.common.stamp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.common.net.Transports;
import io.netty.channel.EventLoopGroup;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OptionsTest {
    @Test
    void senderDefaultsAreTheDesignsAndBadValuesSayWhatIsAllowed() {
        SenderOptions d = SenderOptions.defaults();
        assertEquals(Duration.ofMillis(200), d.meanInterval());
        assertEquals(ProbeSchedule.POISSON, d.schedule());
        assertEquals(44, d.packetSize());
        assertEquals(Duration.ofSeconds(3), d.timeout());
        assertEquals(StampMode.UNAUTHENTICATED, d.mode());
        assertMessage("packetSize must be 44..9000, got 43", () -> d.withPacketSize(43));
        assertMessage("ssid must be 0..65535, got 65536", () -> d.withSsid(65_536));
        assertMessage("meanInterval must be 1ms..1h, got PT0S", () -> d.withMeanInterval(Duration.ZERO));
        assertMessage("timeout must be 1ms..1m, got PT2M", () -> d.withTimeout(Duration.ofMinutes(2)));
        assertEquals(112, d.withAuth(StampPacketTest.KEY).packetSize(), "authenticated mode needs 112 bytes");
        assertMessage("packetSize must be 112..9000 in authenticated mode, got 100",
                () -> d.withAuth(StampPacketTest.KEY).withPacketSize(100));
    }

    @Test
    void reflectorOptionsRefuseNonsense() {
        assertMessage("maxSessions must be at least 1, got 0", () -> ReflectorOptions.defaults().withMaxSessions(0));
        assertThrows(IllegalArgumentException.class, () -> ReflectorOptions.defaults().withSessionIdleTimeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new StampAuth(new byte[15]));
    }

    @Test
    void aPortInUseIsAClearBindError() {
        EventLoopGroup group = Transports.group(1, "stamp-options");
        try (StampReflector first = StampReflector.start(group, new InetSocketAddress("127.0.0.1", 0), ReflectorOptions.defaults())) {
            UncheckedIOException e = assertThrows(UncheckedIOException.class,
                    () -> StampReflector.start(group, first.localAddress(), ReflectorOptions.defaults()));
            assertTrue(e.getMessage().startsWith("cannot bind STAMP reflector to " + first.localAddress()), e.getMessage());
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable e) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, e).getMessage());
    }
}
