package io.linkprobe.common.throughput.protocol;

import java.util.List;

/** Which way the bulk data flows. {@code DOWN} is responder → agent, {@code UP} agent → responder. */
public enum Direction {
    DOWN("down", 0), UP("up", 1);

    private final String wireName;
    private final int code;

    Direction(String wireName, int code) {
        this.wireName = wireName;
        this.code = code;
    }

    /** The name used in results, metrics labels and the CLI: {@code down} or {@code up}. */
    public String wireName() {
        return wireName;
    }

    int code() {
        return code;
    }

    static Direction ofCode(int code) {
        for (Direction d : values()) {
            if (d.code == code) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown direction code " + code);
    }

    /**
     * Parses the CLI/config spelling: {@code down}, {@code up} or {@code both} (down, then up).
     *
     * @throws IllegalArgumentException for anything else
     */
    public static List<Direction> parse(String text) {
        switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "down": return List.of(DOWN);
            case "up": return List.of(UP);
            case "both": return List.of(DOWN, UP);
            default: throw new IllegalArgumentException("direction must be down, up or both, not '" + text + "'");
        }
    }
}
