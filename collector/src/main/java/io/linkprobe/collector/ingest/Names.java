package io.linkprobe.collector.ingest;

import java.util.regex.Pattern;

/**
 * What a site, target or agent id may look like. They become Prometheus label values, file lines
 * and HTML text, so they are kept to a plain alphabet: letters, digits and {@code . _ - :}, starting
 * with a letter or digit. That refuses nothing a network engineer names a site with, and it makes
 * every later use safe by construction.
 */
public final class Names {
    public static final int MAX_SITE_LENGTH = 64;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]*");
    private static final Pattern LABEL_KEY = Pattern.compile("[a-z][a-z0-9_]*");

    private Names() {}

    /** Why {@code value} is not an acceptable name, or null if it is. */
    public static String problem(String value, int maxLength) {
        if (value == null || value.isEmpty()) {
            return "is missing";
        }
        if (value.length() > maxLength) {
            return "is " + value.length() + " characters long; at most " + maxLength + " are allowed";
        }
        if (!NAME.matcher(value).matches()) {
            return "'" + printable(value) + "' may hold only letters, digits and . _ - : (starting with a letter or digit)";
        }
        return null;
    }

    /** Why {@code key} is not an acceptable label key, or null if it is. */
    public static String labelKeyProblem(String key) {
        if (key == null || key.isEmpty() || key.length() > 32 || !LABEL_KEY.matcher(key).matches()) {
            return "label key '" + printable(key) + "' must be lower-case letters, digits and _ (at most 32)";
        }
        return null;
    }

    /** Why a free-text label value is unacceptable, or null: any printable text up to the limit. */
    public static String labelValueProblem(String value, int maxLength) {
        if (value == null) {
            return "is missing";
        }
        if (value.length() > maxLength) {
            return "is " + value.length() + " characters long; at most " + maxLength + " are allowed";
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                return "holds a control character";
            }
        }
        return null;
    }

    /** {@code value} cut short and stripped of control characters, to quote it in a message. */
    public static String printable(String value) {
        if (value == null) {
            return "";
        }
        String cut = value.length() > 40 ? value.substring(0, 40) + "…" : value;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
