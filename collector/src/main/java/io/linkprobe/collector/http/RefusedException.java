package io.linkprobe.collector.http;

/**
 * A request the collector refuses, with one sentence saying what was wrong and how to fix it.
 * Thrown by validation and admission; turned into {@link Reply#refused} and counted at one place.
 */
public final class RefusedException extends Exception {
    private final RejectReason reason;

    public RefusedException(RejectReason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public RejectReason reason() {
        return reason;
    }
}
