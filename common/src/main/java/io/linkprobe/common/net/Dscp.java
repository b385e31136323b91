package io.linkprobe.common.net;

import java.util.Locale;
import java.util.Map;

/**
 * DiffServ code points by name or number, for marking test packets so that a network team can see
 * whether its QoS class helps. The names are those of RFC 2474 (CS0-CS7), RFC 2597 (AF11-AF43),
 * RFC 3246 (EF), RFC 5865 (VOICE-ADMIT) and RFC 8622 (LE); {@code BE} and {@code DF} are the
 * default, best effort (0). RFC 8837 recommends EF for a real-time call's audio and AF41/AF42 for
 * its video.
 */
public final class Dscp {
    public static final int BEST_EFFORT = 0;

    private static final Map<String, Integer> NAMES = Map.ofEntries(
            Map.entry("BE", 0), Map.entry("DF", 0), Map.entry("LE", 1),
            Map.entry("CS0", 0), Map.entry("CS1", 8), Map.entry("CS2", 16), Map.entry("CS3", 24),
            Map.entry("CS4", 32), Map.entry("CS5", 40), Map.entry("CS6", 48), Map.entry("CS7", 56),
            Map.entry("AF11", 10), Map.entry("AF12", 12), Map.entry("AF13", 14),
            Map.entry("AF21", 18), Map.entry("AF22", 20), Map.entry("AF23", 22),
            Map.entry("AF31", 26), Map.entry("AF32", 28), Map.entry("AF33", 30),
            Map.entry("AF41", 34), Map.entry("AF42", 36), Map.entry("AF43", 38),
            Map.entry("EF", 46), Map.entry("VOICE-ADMIT", 44));

    private Dscp() {}

    /**
     * The code point named or numbered by {@code text} (case-insensitive name, or 0-63).
     *
     * @throws IllegalArgumentException naming what is accepted
     */
    public static int parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(problem(text));
        }
        String t = text.trim().toUpperCase(Locale.ROOT);
        Integer named = NAMES.get(t);
        if (named != null) {
            return named;
        }
        try {
            int n = Integer.parseInt(t);
            if (n >= 0 && n <= 63) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new IllegalArgumentException(problem(text));
    }

    /** The conventional name of a code point ({@code EF}, {@code AF41}, {@code BE}), or its number. */
    public static String name(int dscp) {
        if (dscp == 0) {
            return "BE";
        }
        for (Map.Entry<String, Integer> e : NAMES.entrySet()) {
            if (e.getValue() == dscp && !e.getKey().equals("CS0") && !e.getKey().equals("DF")) {
                return e.getKey();
            }
        }
        return Integer.toString(dscp);
    }

    /** The IPv4 TOS byte / IPv6 traffic class carrying this code point, ECN bits clear. */
    public static int trafficClass(int dscp) {
        if (dscp < 0 || dscp > 63) {
            throw new IllegalArgumentException("a DSCP is 0-63, got " + dscp);
        }
        return dscp << 2;
    }

    private static String problem(String text) {
        return "'" + text + "' is not a DSCP: give a number 0-63 or a name such as BE, EF, AF41, CS5";
    }
}
