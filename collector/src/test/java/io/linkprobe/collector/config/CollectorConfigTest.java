package io.linkprobe.collector.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.common.config.ConfigException;
import io.linkprobe.common.config.ConfigLoader;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CollectorConfigTest {
    /**
     * The shared loader points at the key's own line once it locates keys in the YAML text
     * (common's YamlLocator); before that it reports where Jackson's parser stood.
     */

    static Path resource(String name) throws URISyntaxException {
        return Path.of(CollectorConfigTest.class.getResource("/config/" + name).toURI());
    }

    @Test
    void minimalConfigGetsEveryDefault() throws Exception {
        CollectorConfig c = CollectorConfig.load(resource("valid-minimal.yml"));
        Path dir = resource("valid-minimal.yml").getParent();

        assertEquals("0.0.0.0", c.http().bind());
        assertEquals(9862, c.http().port());
        assertNull(c.http().tls());
        assertEquals(dir.resolve("tokens"), c.tokensFile(), "relative to the config file's directory");
        assertEquals(dir.resolve("collector.db"), c.archive().path());
        assertEquals(Duration.ofDays(14), c.archive().rawRetention());
        assertEquals(Duration.ofDays(400), c.archive().rollupRetention());
        assertEquals(Duration.ofHours(1), c.seriesTtl());
        assertTrue(c.responder().enabled());
        assertEquals(862, c.responder().stampPort());
        assertEquals(9863, c.responder().throughputPort());
        assertEquals(1, c.responder().maxConcurrentTests());
        assertFalse(c.responder().busyPoll());
        assertEquals(1_048_576, c.limits().maxBodyBytes().bytes());
        assertEquals(16_384, c.limits().maxHeaderBytes().bytes());
        assertEquals(Duration.ofSeconds(30), c.limits().readTimeout());
        assertEquals(Duration.ofSeconds(120), c.limits().idleTimeout());
        assertEquals(20_000, c.limits().maxConnections());
        assertEquals(20_000, c.limits().maxSites());
        assertEquals(16, c.limits().maxTargetsPerSite());
        assertEquals(8, c.limits().maxLabelsPerSite());
        assertEquals(128, c.limits().maxLabelValueLength());
        assertEquals(Duration.ofDays(28), c.upgrades().before());
        assertEquals(Duration.ofDays(3), c.upgrades().settle());
        assertEquals(Duration.ofDays(28), c.upgrades().after());
        assertEquals(10, c.upgrades().minTests());
        assertEquals(100L, c.upgrades().minWindows());
        assertTrue(c.upgrades().wholeHours(), "the default windows read the hourly rollups");
    }

    @Test
    void fullConfigSetsEveryKey() throws Exception {
        CollectorConfig c = CollectorConfig.load(resource("valid-full.yml"));

        assertEquals("127.0.0.1", c.http().bind());
        assertEquals(19862, c.http().port());
        assertEquals(resource("valid-full.yml").getParent().resolve("data/collector.db"), c.archive().path());
        assertEquals(Duration.ofDays(7), c.archive().rawRetention(), "retention: is the former name of raw_retention");
        assertEquals(Duration.ofMinutes(30), c.seriesTtl());
        assertFalse(c.responder().enabled());
        assertEquals(8862, c.responder().stampPort());
        assertEquals(19863, c.responder().throughputPort());
        assertEquals(2, c.responder().maxConcurrentTests());
        assertTrue(c.responder().busyPoll());
        assertEquals(2 * 1_048_576, c.limits().maxBodyBytes().bytes());
        assertEquals(8192, c.limits().maxHeaderBytes().bytes());
        assertEquals(Duration.ofSeconds(10), c.limits().readTimeout());
        assertEquals(Duration.ofMinutes(5), c.limits().idleTimeout());
        assertEquals(5000, c.limits().maxConnections());
        assertEquals(7000, c.limits().maxSites());
        assertEquals(4, c.limits().maxTargetsPerSite());
        assertEquals(6, c.limits().maxLabelsPerSite());
        assertEquals(64, c.limits().maxLabelValueLength());
        assertEquals(Duration.ofMinutes(10), c.upgrades().before());
        assertEquals(Duration.ofSeconds(30), c.upgrades().settle());
        assertEquals(Duration.ofMinutes(10), c.upgrades().after());
        assertEquals(2, c.upgrades().minTests());
        assertEquals(20L, c.upgrades().minWindows());
        assertFalse(c.upgrades().wholeHours(), "windows of minutes read the raw results");
    }

    /**
     * Each invalid-NAME.yml sits next to invalid-NAME.msg holding the exact message expected
     * ({@code CONFIG_DIR} stands for the directory of the files).
     */
    @ParameterizedTest
    @ValueSource(strings = {"unknown-key", "no-tokens-file", "bad-duration", "bad-size", "out-of-range", "bad-port",
            "tls-half", "missing-tokens", "short-retention", "missing-fleet-file", "reload-endpoint",
            "port-zero", "bind-unresolvable", "bind-not-here", "duplicate-key", "duration-without-unit", "yaml-syntax", "type",
            "type-mapping", "archive-not-postgres", "archive-password-in-url", "archive-path-and-url", "archive-bad-port",
            "archive-no-database", "archive-missing-password-file", "archive-empty-password-file",
            "archive-password-file-for-sqlite", "upgrades-min-tests", "upgrades-zero-before"})
    void invalidConfigIsRejectedWithFileLineAndReason(String name) throws Exception {
        Path yml = resource("invalid-" + name + ".yml");
        String expected = Files.readString(resource("invalid-" + name + ".msg")).trim()
                .replace("CONFIG_DIR", yml.getParent().toString());
        ConfigException e = assertThrows(ConfigException.class, () -> CollectorConfig.load(yml));
        String actual = e.getMessage().replace(yml.toString(), yml.getFileName().toString());

        assertTrue(actual.startsWith(yml.getFileName().toString()), actual);
        assertEquals(expected, actual);
    }

    /** The driver's own forms are accepted as it reads them; what it would refuse at connect is refused here. */
    @Test
    void postgresUrlsReadAsTheDriverReadsThem() {
        for (String ok : List.of("jdbc:postgresql:linkprobe", "jdbc:postgresql://db.example.net/linkprobe",
                "jdbc:postgresql://db.example.net:5432/linkprobe?user=linkprobe", "jdbc:postgresql://[::1]:5432/linkprobe",
                "jdbc:postgresql://[::1]/linkprobe", "jdbc:postgresql://a:5432,b/linkprobe", "jdbc:postgresql://:5432/linkprobe")) {
            assertNull(CollectorConfig.Archive.postgresHostProblem(ok), ok);
        }
        assertEquals("names no host", CollectorConfig.Archive.postgresHostProblem("jdbc:postgresql:///linkprobe"));
        assertEquals("has port '0' for a, not one between 1 and 65535",
                CollectorConfig.Archive.postgresHostProblem("jdbc:postgresql://a:0/linkprobe"));
        assertEquals("has port '70000' for [::1], not one between 1 and 65535",
                CollectorConfig.Archive.postgresHostProblem("jdbc:postgresql://[::1]:70000/linkprobe"));
        assertEquals("names no database (the /DATABASE after the host)",
                CollectorConfig.Archive.postgresHostProblem("jdbc:postgresql://db.example.net?user=x"));
    }

    @Test
    void sizesReadAsOperatorsWriteThem() {
        assertEquals(1_048_576, ByteSize.parse("1MiB").bytes());
        assertEquals(1_000_000, ByteSize.parse("1MB").bytes());
        assertEquals(512 * 1024, ByteSize.parse("512 KiB").bytes());
        assertEquals(16_384, ByteSize.parse("16384").bytes());
        assertEquals("1MiB", ByteSize.parse("1048576").toString());
        assertThrows(IllegalArgumentException.class, () -> ByteSize.parse("-1"));
        assertThrows(IllegalArgumentException.class, () -> ByteSize.parse("1 TiB"));
    }

    @Test
    void numericSizeInYamlIsBytes() throws Exception {
        CollectorConfig c = ConfigLoader.parse("c.yml", "tokens_file: t\nlimits: {max_body_bytes: 65536}\n",
                CollectorConfig.class);
        assertEquals(65_536, c.limits().maxBodyBytes().bytes());
    }

}
