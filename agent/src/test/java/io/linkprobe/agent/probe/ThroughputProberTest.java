package io.linkprobe.agent.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.linkprobe.agent.config.AgentConfig;
import io.linkprobe.agent.linktest.LinkTest;
import io.linkprobe.common.config.ConfigLoader;
import io.linkprobe.common.net.Transports;
import io.linkprobe.common.stamp.ProbeSchedule;
import io.linkprobe.common.stamp.SenderOptions;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
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
            LinkTest.Request request = new ThroughputProber(group, config, () -> "token").request(config.targets().get(0));
            SenderOptions probes = request.stampOptions();
            assertEquals(Duration.ofMillis(40), probes.meanInterval(), "the loaded rate, not latency.interval");
            assertEquals(ProbeSchedule.PERIODIC, probes.schedule());
            assertEquals(64, probes.packetSize());
            assertEquals(Duration.ofMillis(700), probes.timeout());
            assertEquals(2, probes.ssid(), "kept apart from the continuous session (SSID 1)");
            assertEquals(862, request.stampTarget().getPort());
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
