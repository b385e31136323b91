package io.linkprobe.collector;

/** The collector could not start (port taken, archive unusable, responder failed); one sentence. */
public final class CollectorStartException extends Exception {
    public CollectorStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
