package io.linkprobe.common.wire;

import java.util.regex.Pattern;

/**
 * What the names a push carries may look like: one rule, applied by the agent when it loads its
 * config ({@code check-config} included) and by the collector when a push arrives, so that a name
 * the agent accepts is never refused at the collector.
 *
 * <ul>
 *   <li>Site ids, agent ids and target names: 1–{@value #MAX_NAME_LENGTH} of {@code A-Za-z0-9._-},
 *       starting with a letter or digit. They become Prometheus label values, tokens-file fields
 *       and HTML text, so a plain alphabet keeps every later use safe by construction.
 *   <li>Label keys: 1–{@value #MAX_LABEL_KEY_LENGTH} of {@code a-z0-9_}, starting with a letter
 *       (Prometheus reserves a leading underscore).
 *   <li>Label values: free text without control characters; the agent allows
 *       {@value #MAX_LABEL_VALUE_LENGTH} characters, the collector its
 *       {@code limits.max_label_value_length}.
 * </ul>
 *
 * <p>Each check returns null for an acceptable value, or the problem as the end of a sentence
 * whose start (which key, which field) the caller writes: {@code "site " + problem}.
 */
public final class Names {
    public static final int MAX_NAME_LENGTH = 64;
    public static final int MAX_LABEL_KEY_LENGTH = 32;
    /** Characters in a label value an agent declares. */
    public static final int MAX_LABEL_VALUE_LENGTH = 64;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern LABEL_KEY = Pattern.compile("[a-z][a-z0-9_]*");

    private Names() {}

    /** Why {@code value} is not an acceptable site id, agent id or target name, or null if it is. */
    public static String nameProblem(String value) {
        return nameProblem(value, MAX_NAME_LENGTH);
    }

    /**
     * As {@link #nameProblem(String)}, with a tighter length bound where the caller has one (a
     * collector's {@code limits.max_label_value_length}); a bound above {@value #MAX_NAME_LENGTH}
     * changes nothing.
     */
    public static String nameProblem(String value, int maxLength) {
        if (value == null || value.isEmpty()) {
            return "is missing";
        }
        String tooLong = lengthProblem(value, Math.min(maxLength, MAX_NAME_LENGTH));
        if (tooLong != null) {
            return tooLong;
        }
        if (!NAME.matcher(value).matches()) {
            return "'" + printable(value) + "' may hold only letters, digits and . _ - (starting with a letter or digit)";
        }
        return null;
    }

    /** Why {@code key} is not an acceptable label key, or null if it is. */
    public static String labelKeyProblem(String key) {
        if (key == null || key.isEmpty() || key.length() > MAX_LABEL_KEY_LENGTH || !LABEL_KEY.matcher(key).matches()) {
            return "label key '" + printable(key) + "' must be 1-" + MAX_LABEL_KEY_LENGTH
                    + " of a-z, 0-9 and _, starting with a letter (e.g. region, link)";
        }
        return null;
    }

    /** Why a label value is unacceptable, or null: printable text up to {@code maxLength} characters. */
    public static String labelValueProblem(String value, int maxLength) {
        if (value == null) {
            return "is missing";
        }
        String tooLong = lengthProblem(value, maxLength);
        if (tooLong != null) {
            return tooLong;
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                return "holds a control character";
            }
        }
        return null;
    }

    /**
     * {@code value} cut short, with every control character (C0 and C1: found by fuzzing, a U+009E
     * in a plan's version), format character and line or paragraph separator shown as {@code ?},
     * to quote it in a one-line message.
     */
    public static String printable(String value) {
        if (value == null) {
            return "";
        }
        return oneLine(value.length() > 40 ? value.substring(0, 40) + "…" : value);
    }

    /**
     * {@code text} with every control character, format character and line or paragraph separator
     * shown as {@code ?}: one printable line, whatever was quoted into it.
     */
    public static String oneLine(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            int type = Character.getType(c);
            boolean hidden = Character.isISOControl(c) || type == Character.FORMAT
                    || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
            out.appendCodePoint(hidden ? '?' : c);
        });
        return out.toString();
    }

    private static String lengthProblem(String value, int maxLength) {
        return value.length() > maxLength
                ? "is " + value.length() + " characters long; at most " + maxLength + " are allowed"
                : null;
    }
}
