package io.linkprobe.collector;

import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads one sample from Prometheus text exposition: {@code name{labels} value}. */
public final class Exposition {
    private Exposition() {}

    /**
     * The value of the series named {@code name} whose label set contains every
     * {@code key="value"} pair given (in any order), or empty.
     */
    public static OptionalDouble value(String scrape, String name, String... labelPairs) {
        Pattern line = Pattern.compile("^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE);
        Matcher m = line.matcher(scrape);
        outer:
        while (m.find()) {
            String labels = m.group(1);
            for (String pair : labelPairs) {
                if (!(labels.startsWith(pair + ",") || labels.contains("," + pair + ",")
                        || labels.endsWith("," + pair) || labels.equals(pair))) {
                    continue outer;
                }
            }
            return OptionalDouble.of(Double.parseDouble(m.group(2)));
        }
        return OptionalDouble.empty();
    }

    /** The value of a series without labels. */
    public static double unlabelled(String scrape, String name) {
        Matcher m = Pattern.compile("^" + Pattern.quote(name) + " (\\S+)$", Pattern.MULTILINE).matcher(scrape);
        if (!m.find()) {
            throw new AssertionError("no " + name + " in:\n" + grep(scrape, name));
        }
        return Double.parseDouble(m.group(1));
    }

    public static double require(String scrape, String name, String... labelPairs) {
        return value(scrape, name, labelPairs).orElseThrow(() -> new AssertionError(
                "no " + name + " with " + String.join(",", labelPairs) + " in:\n" + grep(scrape, name)));
    }

    private static String grep(String scrape, String name) {
        StringBuilder out = new StringBuilder();
        for (String l : scrape.split("\n")) {
            if (l.startsWith(name)) {
                out.append(l).append('\n');
            }
        }
        return out.length() == 0 ? "(no line starts with " + name + ")" : out.toString();
    }
}
