package io.linkprobe.common.wire;

import java.util.List;

/**
 * Names and labels with the verdict of {@link Names}, for the tests on both sides: the agent's
 * config validation and the collector's push validation must each give these verdicts, so that a
 * config the agent accepts never carries a name the collector refuses.
 */
public final class NameCases {
    /** A candidate value and whether the one rule accepts it. */
    public record Case(String value, boolean accepted) {
        @Override
        public String toString() {
            return (accepted ? "accepts " : "refuses ") + "'" + Names.printable(value) + "'";
        }
    }

    /** For {@code @MethodSource}: the lists below. */
    public static final String NAMES = "io.linkprobe.common.wire.NameCases#names";
    public static final String LABEL_KEYS = "io.linkprobe.common.wire.NameCases#labelKeys";
    public static final String LABEL_VALUES = "io.linkprobe.common.wire.NameCases#labelValues";

    private NameCases() {}

    /** Site ids, agent ids and target names. */
    public static List<Case> names() {
        return List.of(
                new Case("gp-leeds-0042", true),
                new Case("a", true),
                new Case("9", true),
                new Case("Hub.Leeds_2-b", true),
                new Case("x".repeat(Names.MAX_NAME_LENGTH), true),
                new Case("5f0c6c1e-2b7a-4c1d-9a0e-3f1b2c4d5e6f", true),
                new Case("x".repeat(Names.MAX_NAME_LENGTH + 1), false),
                new Case("gp:leeds", false),
                new Case("gp leeds", false),
                new Case("-leeds", false),
                new Case(".leeds", false),
                new Case("_leeds", false),
                new Case("leeds/2", false),
                new Case("<b>leeds</b>", false),
                new Case("caf\u00e9", false),
                new Case("tab\there", false));
    }

    /** Label keys. */
    public static List<Case> labelKeys() {
        return List.of(
                new Case("region", true),
                new Case("link", true),
                new Case("z", true),
                new Case("zone_2", true),
                new Case("x".repeat(Names.MAX_LABEL_KEY_LENGTH), true),
                new Case("x".repeat(Names.MAX_LABEL_KEY_LENGTH + 1), false),
                new Case("_zone", false),
                new Case("__name__", false),
                new Case("Zone", false),
                new Case("2zone", false),
                new Case("zone-2", false),
                new Case("zone:2", false),
                new Case("", false));
    }

    /** Label values, at the agent's bound ({@link Names#MAX_LABEL_VALUE_LENGTH}). */
    public static List<Case> labelValues() {
        return List.of(
                new Case("yorkshire", true),
                new Case("", true),
                new Case("North East & Cumbria (ICB)", true),
                new Case("caf\u00e9", true),
                new Case("x".repeat(Names.MAX_LABEL_VALUE_LENGTH), true),
                new Case("x".repeat(Names.MAX_LABEL_VALUE_LENGTH + 1), false),
                new Case("tab\there", false),
                new Case("line\nbreak", false),
                new Case("nul\u0000", false));
    }
}
