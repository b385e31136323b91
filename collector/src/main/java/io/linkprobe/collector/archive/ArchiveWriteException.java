package io.linkprobe.collector.archive;

/**
 * A push was not stored: the transaction that held it was rolled back whole (its key and samples
 * together), so the agent keeps the batch and retries. {@link #kind} says whether the storage
 * refused (disk full, disk I/O error: free space or check the disk) or something else failed.
 */
public final class ArchiveWriteException extends Exception {
    public enum Kind {
        /** The database reported its disk full, or a disk I/O error (SQLITE_FULL, SQLITE_IOERR). */
        FULL,
        /** Any other failure (a corrupt page, a read-only file, a closing archive, a bug). */
        ERROR
    }

    private final Kind kind;

    public ArchiveWriteException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
