package io.linkprobe.common.config;

/**
 * A configuration the user must fix. The message is one sentence that names the file, the line
 * and the problem, and is printed as it is; CLIs exit with code 2 on it.
 */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
