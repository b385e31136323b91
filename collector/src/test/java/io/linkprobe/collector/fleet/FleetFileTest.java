package io.linkprobe.collector.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.common.config.ConfigException;
import io.linkprobe.common.config.ConfigLoader;
import io.linkprobe.common.stamp.ProbeSchedule;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The fleet file: loaded like every config, merged defaults < groups < site, with the agent's rules. */
class FleetFileTest {

    static Path resource(String name) throws URISyntaxException {
        return Path.of(FleetFileTest.class.getResource("/fleet/" + name).toURI());
    }

    @Test
    void theMinimalFileWorks() throws Exception {
        FleetFile f = FleetFile.load(resource("valid-minimal.yml"));
        SiteSettings s1 = f.resolve("s1", Map.of());

        assertEquals(List.of("hub"), s1.targets().stream().map(FleetTarget::name).toList());
        assertEquals(862, s1.targets().get(0).stampPort());
        assertEquals(Duration.ofSeconds(60), s1.window());
        assertEquals(Duration.ofMillis(200), s1.latency().interval());
        assertEquals(ProbeSchedule.POISSON, s1.latency().schedule());
        assertEquals(Duration.ofHours(4), s1.throughput().every());
        assertEquals("both", s1.throughput().direction());
        assertTrue(s1.throughput().enabled());
        assertTrue(f.responders().isEmpty());
        assertNull(f.embeddedResponder().enabled(), "in the pool when collector.yml's responder is on");
    }

    @Test
    void theAnnotatedExampleLoads() throws Exception {
        FleetFile f = FleetFile.load(Path.of("../deploy/examples/fleet.yml"));
        assertEquals(List.of("hub-sw"), f.responders().stream().map(PoolResponder::name).toList());
        assertEquals(List.of("copper", "metered-4g"), f.groups().stream().map(FleetGroup::name).toList());
        assertEquals(2, f.sites().size());
        VideoLayer metered = f.resolve("x", Map.of("link", "4g")).video();
        assertEquals(Duration.ofHours(24), metered.every());
        assertEquals(2, metered.maxCalls());
        assertEquals(Duration.ofHours(4), f.resolve("x", Map.of()).video().every());
    }

    @Test
    void defaultsThenMatchingGroupsInFileOrderThenTheSiteKeyByKey() throws Exception {
        FleetFile f = ConfigLoader.parse("fleet.yml", """
                defaults:
                  targets: [{name: hub, host: hub.example.net}]
                  latency: {interval: 100ms, packet_size: 100}
                  throughput: {every: 4h, duration: 10s, streams: 2}
                groups:
                  - name: copper
                    match: {link: adsl}
                    throughput: {every: 8h, duration: 8s}
                    expected: {down_mbps: 20}
                  - name: north-copper
                    match: {link: adsl, region: north}
                    throughput: {duration: 6s}
                    targets: [{name: hub-north, host: north.example.net, connect_port: 443}]
                sites:
                  gp-1:
                    labels: {link: adsl, region: north}
                    expected: {up_mbps: 2}
                    throughput: {direction: down}
                    latency: {packet_size: 60}
                """, FleetFile.class);

        SiteSettings gp1 = f.resolve("gp-1", Map.of("link", "fttp"));
        assertEquals(List.of("copper", "north-copper"), gp1.groups(), "the fleet file's labels win over the pushed ones");
        assertEquals(Duration.ofHours(8), gp1.throughput().every(), "from copper");
        assertEquals(Duration.ofSeconds(6), gp1.throughput().duration(), "the later group wins");
        assertEquals(2, gp1.throughput().streams(), "from defaults");
        assertEquals("down", gp1.throughput().direction(), "from the site");
        assertEquals(Duration.ofMillis(100), gp1.latency().interval(), "from defaults");
        assertEquals(60, gp1.latency().packetSize(), "the site wins");
        assertEquals(List.of("hub-north"), gp1.targets().stream().map(FleetTarget::name).toList(), "a list replaces");
        assertEquals(20.0, gp1.expected().downMbps(), "expected merges key by key: down from the group");
        assertEquals(2.0, gp1.expected().upMbps(), "up from the site");
        assertEquals(Map.of("link", "adsl", "region", "north"), gp1.labels());

        SiteSettings pushed = f.resolve("gp-2", Map.of("link", "adsl", "region", "south"));
        assertEquals(List.of("copper"), pushed.groups(), "an unlisted site's groups come from its pushed labels");
        assertEquals(Duration.ofSeconds(8), pushed.throughput().duration());
        assertEquals(List.of("hub"), pushed.targets().stream().map(FleetTarget::name).toList());
        assertTrue(pushed.labels().isEmpty(), "the plan carries no labels the fleet file does not give");

        SiteSettings unknown = f.resolve("gp-3", Map.of());
        assertEquals(List.of(), unknown.groups());
        assertEquals(Duration.ofHours(4), unknown.throughput().every());
        assertFalse(unknown.expected().known());
    }

    @Test
    void videoMergesKeyByKeyAndDefaultsToAgentYmls() throws Exception {
        FleetFile f = ConfigLoader.parse("fleet.yml", """
                defaults:
                  video: {every: 6h, dscp: EF}
                groups:
                  - {name: copper, match: {link: adsl}, video: {max_calls: 2, duration: 10s}}
                sites:
                  s2: {video: {enabled: false}}
                """, FleetFile.class);
        VideoLayer copper = f.resolve("s1", Map.of("link", "adsl")).video();
        assertEquals(new VideoLayer(true, Duration.ofHours(6), 1200, 1200, Duration.ofSeconds(10), Duration.ofSeconds(5), 2,
                "EF", 0L), copper);
        assertEquals(Duration.ofSeconds(10 + 5 + 1 + 2 * 2), copper.ladderLength());
        assertEquals(2.4, copper.peakMbps(), 1e-9);
        assertEquals(false, f.resolve("s2", Map.of()).video().enabled());
        assertEquals(new VideoLayer(true, Duration.ofHours(4), 1200, 1200, Duration.ofSeconds(20), Duration.ofSeconds(5), 8,
                "BE", 0L), FleetFile.NONE.resolve("s3", Map.of()).video(), "agent.yml's defaults");
    }

    @Test
    void withoutTargetsAnywhereASiteHasNoList() throws Exception {
        FleetFile f = ConfigLoader.parse("fleet.yml", "sites: {s1: }\n", FleetFile.class);
        assertNull(f.resolve("s1", Map.of()).targets(), "the plan then names the site's responder");
        assertEquals(List.of(), ConfigLoader.parse("fleet.yml", "defaults: {targets: []}\n", FleetFile.class)
                .resolve("s1", Map.of()).targets(), "an explicit empty list is kept: no latency target from the plan");
    }

    /**
     * Each invalid-NAME.yml sits next to invalid-NAME.msg holding the exact message expected.
     */
    @ParameterizedTest
    @ValueSource(strings = {"unknown-key", "every-too-short", "target-throughput-port", "duplicate-responder",
            "responder-without-max-mbps", "group-without-match", "site-id", "site-direction", "every-over-a-week",
            "duplicate-target", "video-dscp", "video-rate"})
    void invalidFleetFileIsRejectedWithFileLineAndReason(String name) throws Exception {
        Path yml = resource("invalid-" + name + ".yml");
        ConfigException e = assertThrows(ConfigException.class, () -> FleetFile.load(yml));
        String actual = e.getMessage().replace(yml.toString(), yml.getFileName().toString());
        String expected = Files.readString(resource("invalid-" + name + ".msg")).trim();

        assertEquals(expected, actual);
    }
}
