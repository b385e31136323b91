package io.linkprobe.collector;

/**
 * The collector could not start (port taken, archive unusable, responder failed); one sentence.
 * {@link #configError} says whether the configuration must change (exit code 2) or something of the
 * moment failed, e.g. another program holds the port (exit code 1).
 */
public final class CollectorStartException extends Exception {
    private final boolean configError;

    public CollectorStartException(String message, Throwable cause) {
        this(message, cause, false);
    }

    public CollectorStartException(String message, Throwable cause, boolean configError) {
        super(message, cause);
        this.configError = configError;
    }

    public boolean configError() {
        return configError;
    }
}
