package io.linkprobe.common.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The one rule for names and labels, pinned case by case (the agent and the collector test against the same cases). */
class NamesTest {
    @ParameterizedTest(name = "{0}")
    @MethodSource(NameCases.NAMES)
    void siteIdsAgentIdsAndTargetNames(NameCases.Case c) {
        assertEquals(c.accepted(), Names.nameProblem(c.value()) == null, Names.nameProblem(c.value()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(NameCases.LABEL_KEYS)
    void labelKeys(NameCases.Case c) {
        assertEquals(c.accepted(), Names.labelKeyProblem(c.value()) == null, Names.labelKeyProblem(c.value()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(NameCases.LABEL_VALUES)
    void labelValues(NameCases.Case c) {
        String problem = Names.labelValueProblem(c.value(), Names.MAX_LABEL_VALUE_LENGTH);
        assertEquals(c.accepted(), problem == null, problem);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(NameCases.NAMES)
    void aTighterBoundOnlyShortensNames(NameCases.Case c) {
        assertEquals(Names.nameProblem(c.value()), Names.nameProblem(c.value(), 1_000));
        if (c.accepted() && c.value().length() > 8) {
            assertEquals("is " + c.value().length() + " characters long; at most 8 are allowed",
                    Names.nameProblem(c.value(), 8));
        }
    }

    @Test
    void messagesSayWhatIsAllowed() {
        assertEquals("'gp:leeds' may hold only letters, digits and . _ - (starting with a letter or digit)",
                Names.nameProblem("gp:leeds"));
        assertEquals("label key '_zone' must be 1-32 of a-z, 0-9 and _, starting with a letter (e.g. region, link)",
                Names.labelKeyProblem("_zone"));
        assertEquals("holds a control character", Names.labelValueProblem("a\tb", 64));
        assertEquals("is missing", Names.nameProblem(null));
        assertNull(Names.labelValueProblem("", 64));
    }
}
