package io.linkprobe.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.linkprobe.common.config.ConfigException;
import io.linkprobe.common.config.ConfigLoader;
import io.linkprobe.common.wire.Json;
import io.linkprobe.common.wire.NameCases;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The names {@code check-config} accepts are exactly those of the one rule ({@code Names}); the
 * collector's PushValidatorNamesTest pins the same cases, so a valid config never carries a name
 * the collector refuses.
 */
class ConfigNamesTest {
    @ParameterizedTest(name = "site {0}")
    @MethodSource(NameCases.NAMES)
    void siteIds(NameCases.Case c) throws IOException {
        assertVerdict(c, "site: " + quoted(c.value()) + "\n");
    }

    @ParameterizedTest(name = "agent_id {0}")
    @MethodSource(NameCases.NAMES)
    void agentIds(NameCases.Case c) throws IOException {
        assertVerdict(c, "site: s1\nagent_id: " + quoted(c.value()) + "\n");
    }

    @ParameterizedTest(name = "target {0}")
    @MethodSource(NameCases.NAMES)
    void targetNames(NameCases.Case c) throws IOException {
        assertVerdict(c, "site: s1\ntargets: [{name: " + quoted(c.value()) + ", host: h}]\n");
    }

    @ParameterizedTest(name = "label key {0}")
    @MethodSource(NameCases.LABEL_KEYS)
    void labelKeys(NameCases.Case c) throws IOException {
        assertVerdict(c, "site: s1\nlabels: {" + quoted(c.value()) + ": v}\n");
    }

    @ParameterizedTest(name = "label value {0}")
    @MethodSource(NameCases.LABEL_VALUES)
    void labelValues(NameCases.Case c) throws IOException {
        assertVerdict(c, "site: s1\nlabels: {region: " + quoted(c.value()) + "}\n");
    }

    @Test
    void aRefusedNameIsOneSentenceAtItsLine() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("agent.yml", "site: s1\nlabels:\n  _zone: north\n", AgentConfig.class));
        assertEquals("agent.yml:2:1: label key '_zone' must be 1-32 of a-z, 0-9 and _, starting with a letter "
                + "(e.g. region, link)", e.getMessage());
    }

    private static void assertVerdict(NameCases.Case c, String yaml) throws IOException {
        String config = "collector: {url: 'http://c:9862'}\n" + yaml;
        try {
            ConfigLoader.parse("agent.yml", config, AgentConfig.class);
            assertTrue(c.accepted(), "check-config accepted what the rule refuses:\n" + config);
        } catch (ConfigException e) {
            assertTrue(!c.accepted(), "check-config refused what the rule accepts: " + e.getMessage());
        }
    }

    /** A JSON string is a YAML double-quoted scalar: any value, control characters included. */
    private static String quoted(String value) throws JsonProcessingException {
        return Json.mapper().writeValueAsString(value);
    }
}
