package io.linkprobe.agent.push;

/** The spool file exists but is not a sound SQLite database: moved aside, not fatal. */
final class CorruptSpoolException extends Exception {
    CorruptSpoolException(String message) {
        super(message);
    }
}
