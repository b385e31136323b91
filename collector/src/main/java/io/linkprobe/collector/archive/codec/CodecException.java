package io.linkprobe.collector.archive.codec;

/** Stored bytes that do not decode: a damaged row, or one written by an incompatible version. */
public final class CodecException extends RuntimeException {
    public CodecException(String message) {
        super(message);
    }

    public CodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
