package io.linkprobe.common.config;

/**
 * Thrown by a config record's compact constructor when a value is wrong; {@code key} is the path
 * of the offending key relative to the record (e.g. {@code "site"}, {@code "targets[1].name"}), so
 * the loader can point at its line.
 */
public final class InvalidValue extends IllegalArgumentException {
    private final String key;

    public InvalidValue(String key, String message) {
        super(message);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
