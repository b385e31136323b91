package io.linkprobe.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.linkprobe.common.config.ConfigException;
import io.linkprobe.common.config.ConfigLoader;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class AgentConfigTest {

    static Path resource(String name) throws URISyntaxException {
        return Path.of(AgentConfigTest.class.getResource("/config/" + name).toURI());
    }

    @Test
    void fullConfigLoadsWithEveryKey() throws Exception {
        AgentConfig c = ConfigLoader.load(resource("valid-full.yml"), AgentConfig.class);
        assertEquals("gp-leeds-0042", c.site());
        assertEquals("yorkshire", c.labels().get("region"));
        assertEquals(10e6, c.expected().downBytesPerSecond(), 1e-6);
        assertEquals(Duration.ofSeconds(30), c.window());
        assertEquals(LatencySettings.Schedule.PERIODIC, c.latency().schedule());
        assertEquals(Duration.ofMillis(100), c.latency().interval());
        assertEquals(64, c.latency().packetSize());
        assertEquals(2, c.throughput().streams());
        assertEquals(Duration.ofSeconds(30), c.connect().every());
        assertEquals(Duration.ofSeconds(2), c.connect().timeout());
        assertEquals(0.2, c.throughput().slipFraction());
        assertEquals(Duration.ofMinutes(1), c.throughput().firstDelayMin());
        assertEquals(Duration.ofMinutes(10), c.throughput().firstDelayMax());
        assertEquals(Duration.ofSeconds(10), c.throughput().busyRetryMin());
        assertEquals(Duration.ofMinutes(2), c.throughput().busyRetryMax());
        assertEquals(Duration.ofSeconds(90), c.throughput().timeout());
        assertEquals(Duration.ofSeconds(2), c.collector().backoffMin());
        assertEquals(Duration.ofMinutes(10), c.collector().backoffMax());
        assertEquals(2, c.targets().size());
        assertEquals(9863, c.targets().get(0).throughputPort());
        assertEquals(443, c.targets().get(1).connectPort());
    }

    @Test
    void minimalConfigGetsDefaults() throws Exception {
        AgentConfig c = ConfigLoader.parse("agent.yml",
                "site: s1\ncollector: {url: 'http://c:9862'}\ntargets: [{name: hub, host: h}]\n", AgentConfig.class);
        assertEquals(Duration.ofSeconds(60), c.window());
        assertEquals(Duration.ofMillis(200), c.latency().interval());
        assertEquals(LatencySettings.Schedule.POISSON, c.latency().schedule());
        assertEquals(Duration.ofSeconds(3), c.latency().timeout());
        assertEquals(44, c.latency().packetSize());
        assertEquals(862, c.targets().get(0).stampPort());
        assertEquals(Duration.ofHours(4), c.throughput().every());
        assertEquals(64L << 20, c.spool().maxBytes());
    }

    /** The schedule's constants, now settings, default to the values they had as constants. */
    @Test
    void scheduleSettingsDefaultToTheFormerConstants() throws Exception {
        AgentConfig c = ConfigLoader.parse("agent.yml",
                "site: s1\ncollector: {url: 'http://c:9862'}\nthroughput: {every: 6h}\n", AgentConfig.class);
        assertEquals(Duration.ofSeconds(10), c.connect().every());
        assertEquals(Duration.ofSeconds(5), c.connect().timeout());
        assertEquals(0.1, c.throughput().slipFraction());
        assertEquals(Duration.ofMinutes(36), c.throughput().firstDelayMin(), "a tenth of every");
        assertEquals(Duration.ofHours(6), c.throughput().firstDelayMax(), "every");
        assertEquals(Duration.ofSeconds(30), c.throughput().busyRetryMin());
        assertEquals(Duration.ofMinutes(5), c.throughput().busyRetryMax());
        assertEquals(Duration.ofMinutes(2), c.throughput().timeout());
        assertEquals(Duration.ofSeconds(1), c.collector().backoffMin());
        assertEquals(Duration.ofSeconds(30), c.collector().backoffMax());
    }

    /** Each invalid-NAME.yml sits next to invalid-NAME.msg holding the exact message expected. */
    @ParameterizedTest
    @ValueSource(strings = {"unknown-key", "no-site", "no-collector", "bad-duration", "duplicate-target", "bad-url", "ca-file-without-https",
        "busy-retry-range", "connect-timeout", "backoff-range", "throughput-timeout", "duration-without-unit", "duplicate-key",
        "yaml-syntax", "type", "bad-size", "plan-refresh"})
    void invalidConfigIsRejectedWithFileLineAndReason(String name) throws Exception {
        Path yml = resource("invalid-" + name + ".yml");
        String expected = Files.readString(resource("invalid-" + name + ".msg")).trim();
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(yml, AgentConfig.class));
        assertEquals(expected, e.getMessage().replace(yml.toString(), yml.getFileName().toString()));
    }

    @Test
    void byteSizesAcceptUnitsAsInTheCollector() throws Exception {
        AgentConfig c = ConfigLoader.parse("agent.yml", "site: s1\ncollector: {url: 'http://c:9862'}\n"
                + "throughput: {max_bytes_per_test: 512MiB, max_bytes_per_day: 4GB}\nspool: {max_bytes: 16777216}\n",
                AgentConfig.class);
        assertEquals(512L << 20, c.throughput().maxBytesPerTest());
        assertEquals(4_000_000_000L, c.throughput().maxBytesPerDay());
        assertEquals(16L << 20, c.spool().maxBytes());
    }

    @Test
    void missingFileNamesThePath() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(Path.of("/nonexistent/agent.yml"), AgentConfig.class));
        assertEquals("/nonexistent/agent.yml: no such file; pass the path of an existing config file.", e.getMessage());
    }

    @Test
    void tokenFileIsResolvedAsGiven() throws IOException, ConfigException {
        AgentConfig c = ConfigLoader.parse("agent.yml",
                "site: s1\ncollector: {url: 'http://c:9862', token_file: /etc/linkprobe/token}\n", AgentConfig.class);
        assertEquals(Path.of("/etc/linkprobe/token"), c.collector().tokenFile());
    }

    @Test
    void theUploadsCongestionControlMustExistOnThisHost() throws IOException, ConfigException {
        String base = "site: s1\ncollector: {url: 'http://c:9862', token_file: t}\nthroughput:\n  congestion_control: ";
        assertEquals("reno", ConfigLoader.parse("agent.yml", base + "reno\n", AgentConfig.class)
                .throughput().congestionControl());
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("agent.yml", base + "Fast!\n", AgentConfig.class));
        assertEquals("agent.yml:4:3: throughput.congestion_control 'Fast!' is not an algorithm name "
                + "(e.g. cubic, bbr, reno)", e.getMessage());
    }

    /** collector.urls: several collectors in order; url stays valid as the one-element list. */
    @Test
    void collectorUrlsListsTheCollectorsInOrderAndUrlIsTheOneElementList() throws IOException, ConfigException {
        AgentConfig several = ConfigLoader.parse("agent.yml", "site: s1\ncollector:\n  urls:\n"
                + "    - http://a:9862\n    - https://b:9862\n", AgentConfig.class);
        assertEquals(java.util.List.of(java.net.URI.create("http://a:9862"), java.net.URI.create("https://b:9862")),
                several.collector().urls());
        assertEquals(java.net.URI.create("http://a:9862"), several.collector().url());
        AgentConfig one = ConfigLoader.parse("agent.yml", "site: s1\ncollector: {url: 'http://c:9862'}\n",
                AgentConfig.class);
        assertEquals(java.util.List.of(java.net.URI.create("http://c:9862")), one.collector().urls());
    }

    @Test
    void collectorUrlsErrorsNameFileAndLine() {
        String[][] cases = {
            {"site: s1\ncollector:\n  url: http://a:9862\n  urls: [http://b:9862]\n",
                "agent.yml:4:3: collector.url and collector.urls are both set: keep one, "
                        + "e.g. urls: [https://collector-a:9862, https://collector-b:9862] and no url"},
            {"site: s1\ncollector:\n  urls: []\n",
                "agent.yml:3:3: collector.urls is empty: list at least one collector, "
                        + "e.g. urls: [https://collector-a:9862, https://collector-b:9862]"},
            {"site: s1\ncollector:\n  urls:\n    - http://a:9862\n    - ftp://b:9862\n",
                "agent.yml:5:7: collector.urls[1] must start with http:// or https://, was 'ftp://b:9862'"},
            {"site: s1\ncollector:\n  urls:\n    - http://a:9862\n    - http://a:9862\n",
                "agent.yml:5:7: collector.urls lists 'http://a:9862' twice: list each collector once"},
        };
        for (String[] c : cases) {
            ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("agent.yml", c[0], AgentConfig.class));
            assertEquals(c[1], e.getMessage());
        }
    }
}
