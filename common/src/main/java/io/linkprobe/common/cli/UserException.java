package io.linkprobe.common.cli;

/**
 * A failure the user can fix (unreachable target, busy responder, unreadable file). CLIs print
 * only its message, one sentence naming the problem and the fix, and exit with 1.
 */
public final class UserException extends RuntimeException {
    public UserException(String message) {
        super(message);
    }

    public UserException(String message, Throwable cause) {
        super(message, cause);
    }
}
