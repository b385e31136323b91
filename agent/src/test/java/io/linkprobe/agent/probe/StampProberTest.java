package io.linkprobe.agent.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.agent.config.AgentConfig;
import io.linkprobe.agent.config.TargetConfig;
import io.linkprobe.common.config.ConfigLoader;
import io.linkprobe.common.net.Transports;
import io.linkprobe.common.stamp.ReflectorOptions;
import io.linkprobe.common.stamp.StampReflector;
import io.linkprobe.common.wire.LatencyWindow;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The continuous STAMP prober against a real reflector on loopback. */
class StampProberTest {

    @Test
    void theFirstProbeStartsTheSessionAndEachLaterOneReturnsTheWindowSinceThePrevious() throws Exception {
        EventLoopGroup group = Transports.group(1, "stamp-prober-test");
        StampReflector reflector = StampReflector.start(group, new InetSocketAddress("127.0.0.1", 0), ReflectorOptions.defaults());
        try {
            AgentConfig config = ConfigLoader.parse("agent.yml", "site: s1\ncollector: {url: 'http://c:9862'}\n"
                    + "latency: {interval: 10ms, schedule: periodic}\n"
                    + "targets: [{name: hub, host: 127.0.0.1, stamp_port: " + reflector.localPort() + "}]\n", AgentConfig.class);
            TargetConfig hub = config.targets().get(0);
            try (StampProber prober = new StampProber(group, config)) {
                assertTrue(prober.measures(hub));
                assertFalse(prober.measures(new TargetConfig("web", "127.0.0.1", 0, 0, 443)), "no stamp_port, no STAMP");
                assertTrue(prober.probe(hub, Instant.now()).toCompletableFuture().join().samples().isEmpty(),
                        "the first probe opens the session: nothing measured yet");
                LatencyWindow first = awaitWindow(prober, hub);
                assertEquals("hub", first.target());
                LatencyWindow second = awaitWindow(prober, hub);
                assertTrue(second.startEpochMillis() >= first.endEpochMillis(), "windows follow each other");
            }
        } finally {
            reflector.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** Probes every 50 ms until a window with a reply comes back (at most 10 s: only a slow machine waits long). */
    private static LatencyWindow awaitWindow(StampProber prober, TargetConfig target) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < until) {
            Thread.sleep(50);
            ProbeResult r = prober.probe(target, Instant.now()).toCompletableFuture().join();
            if (!r.samples().isEmpty()) {
                LatencyWindow w = (LatencyWindow) r.samples().get(0);
                if (w.received() > 0) {
                    return w;
                }
            }
        }
        throw new AssertionError("no window with a reply within 10 s");
    }
}
