package io.linkprobe.collector.archive;

/** The archive cannot be opened, read or written; the message says which file and why. */
public class ArchiveException extends Exception {
    public ArchiveException(String message, Throwable cause) {
        super(message, cause);
    }
}
