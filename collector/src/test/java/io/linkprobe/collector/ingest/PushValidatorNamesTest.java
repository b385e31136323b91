package io.linkprobe.collector.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.collector.config.Limits;
import io.linkprobe.collector.http.RefusedException;
import io.linkprobe.common.testing.Samples;
import io.linkprobe.common.wire.AgentIdentity;
import io.linkprobe.common.wire.NameCases;
import io.linkprobe.common.wire.Names;
import io.linkprobe.common.wire.PushBatch;
import io.linkprobe.common.wire.Sample;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A push is checked for names by the one rule ({@link Names}) the agent's config validation
 * applies: the verdicts here are the cases agent's ConfigNamesTest pins for {@code check-config},
 * so what the agent accepts, this collector accepts. Default limits, as shipped.
 */
class PushValidatorNamesTest {
    static final long NOW = 1_760_000_000_000L;
    final PushValidator validator = new PushValidator(Limits.DEFAULT, java.time.Duration.ofDays(30));

    @ParameterizedTest(name = "site {0}")
    @MethodSource(NameCases.NAMES)
    void siteIds(NameCases.Case c) {
        assertVerdict(c, agent(c.value(), "agent-1", Map.of()), "hub");
    }

    @ParameterizedTest(name = "agent_id {0}")
    @MethodSource(NameCases.NAMES)
    void agentIds(NameCases.Case c) {
        assertVerdict(c, agent("s1", c.value(), Map.of()), "hub");
    }

    @ParameterizedTest(name = "target {0}")
    @MethodSource(NameCases.NAMES)
    void targetNames(NameCases.Case c) {
        assertVerdict(c, agent("s1", "agent-1", Map.of()), c.value());
    }

    @ParameterizedTest(name = "label key {0}")
    @MethodSource(NameCases.LABEL_KEYS)
    void labelKeys(NameCases.Case c) {
        assertVerdict(c, agent("s1", "agent-1", Map.of(c.value(), "v")), "hub");
    }

    /**
     * Every value the agent accepts passes; the collector's own bound,
     * {@code limits.max_label_value_length} (128 by default), is longer than the agent's, so of the
     * refusals only those for the characters must agree.
     */
    @ParameterizedTest(name = "label value {0}")
    @MethodSource(NameCases.LABEL_VALUES)
    void labelValues(NameCases.Case c) {
        boolean accepted = accepts(agent("s1", "agent-1", Map.of("region", c.value())), "hub");
        if (c.accepted()) {
            assertTrue(accepted, "the collector refuses a label value check-config accepts");
        } else if (c.value().length() <= Names.MAX_LABEL_VALUE_LENGTH) {
            assertFalse(accepted, "the collector accepts a label value the rule refuses for its characters");
        }
    }

    private void assertVerdict(NameCases.Case c, AgentIdentity agent, String target) {
        assertEquals(c.accepted(), accepts(agent, target), "the collector's verdict differs from check-config's");
    }

    private boolean accepts(AgentIdentity agent, String target) {
        List<Sample> samples = List.of(Samples.window(target, NOW, new int[] {2_000}, 0, 0));
        try {
            validator.validate(new PushBatch(agent, 1, samples), NOW);
            return true;
        } catch (RefusedException e) {
            return false;
        }
    }

    private static AgentIdentity agent(String site, String agentId, Map<String, String> labels) {
        return new AgentIdentity(site, agentId, "boot-1", "0.1.0", labels, null);
    }
}
