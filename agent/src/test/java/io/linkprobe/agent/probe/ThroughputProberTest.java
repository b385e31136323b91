package io.linkprobe.agent.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.linkprobe.agent.config.AgentConfig;
import io.linkprobe.agent.linktest.LinkTest;
import io.linkprobe.common.config.ConfigLoader;
import io.linkprobe.common.net.Transports;
import io.linkprobe.common.stamp.ProbeSchedule;
import io.linkprobe.common.stamp.SenderOptions;
import io.netty.channel.EventLoopGroup;
import io.linkprobe.agent.config.TargetConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ThroughputProberTest {

    /** Before, the probes under load kept only the packet size: 2 s timeout and Poisson whatever the config said. */
    @Test
    void probesUnderLoadUseTheConfiguredLatencySettingsAtTheLoadedRate() throws Exception {
        AgentConfig config = ConfigLoader.parse("agent.yml", """
                site: s1
                collector: {url: 'http://c:9862'}
                latency: {interval: 500ms, schedule: periodic, packet_size: 64, timeout: 700ms}
                throughput: {loaded_probe_interval: 40ms}
                targets: [{name: hub, host: 127.0.0.1, throughput_port: 9863}]
                """, AgentConfig.class);
        EventLoopGroup group = Transports.group(1, "test");
        try {
            Instant now = Instant.now();
            LinkTest.Request request = new ThroughputProber(group, config, () -> "token")
                    .request(config.targets().get(0), now.plus(Duration.ofMinutes(2)), now);
            SenderOptions probes = request.stampOptions();
            assertEquals(Duration.ofMillis(40), probes.meanInterval(), "the loaded rate, not latency.interval");
            assertEquals(ProbeSchedule.PERIODIC, probes.schedule());
            assertEquals(64, probes.packetSize());
            assertEquals(Duration.ofMillis(700), probes.timeout());
            assertEquals(2, probes.ssid(), "kept apart from the continuous session (SSID 1)");
            assertEquals(862, request.stampTarget().getPort());
            assertEquals(Duration.ofSeconds(10), request.throughput().maxDuration(), "on time: the full duration");
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /**
     * The collector reserves 2 x (10 s + 1.5 s idle RTT + 1 s set-up) = 25 s for a two-way test of
     * 10 s; the next site's test starts right after. One that starts 3 s late loads each direction
     * 1.5 s less and still ends in its slot; seen before as busy answers for the next site.
     */
    @Test
    void aTestThatStartsLateInItsSlotIsShortenedToEndByTheSlotsEnd() throws Exception {
        AgentConfig config = ConfigLoader.parse("agent.yml", """
                site: s1
                collector: {url: 'http://c:9862'}
                throughput: {duration: 10s, direction: both}
                targets: [{name: hub, host: 127.0.0.1, stamp_port: 862, throughput_port: 9863}]
                """, AgentConfig.class);
        Instant slotStart = Instant.parse("2026-12-05T10:00:00Z");
        Instant slotEnd = slotStart.plusSeconds(25);
        EventLoopGroup group = Transports.group(1, "test");
        try {
            ThroughputProber prober = new ThroughputProber(group, config, () -> "token");
            TargetConfig hub = config.targets().get(0);
            assertEquals(Duration.ofSeconds(10), prober.request(hub, slotEnd, slotStart).throughput().maxDuration());
            assertEquals(Duration.ofMillis(8_500),
                    prober.request(hub, slotEnd, slotStart.plusSeconds(3)).throughput().maxDuration());
            assertEquals(ThroughputProber.MIN_DURATION,
                    prober.request(hub, slotEnd, slotStart.plusSeconds(24)).throughput().maxDuration(),
                    "never below the minimum, however late");
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void aOneWayTestIsFittedOnItsOwnDirection() {
        Instant now = Instant.parse("2026-12-05T10:00:02Z");
        Instant end = Instant.parse("2026-12-05T10:00:10Z"); // 8 s left = 1.5 s idle + 1 s set-up + 5.5 s
        assertEquals(Duration.ofMillis(5_500), ThroughputProber.fitted(Duration.ofSeconds(8), 1, now, end));
        assertEquals(Duration.ofSeconds(3), ThroughputProber.fitted(Duration.ofSeconds(3), 1, now, end));
    }
}
