package io.linkprobe.common.throughput.protocol;

/** The class of a REJECT; the client maps it to a result outcome. */
public enum RejectCode {
    /** Missing, unknown or wrong key: the client gets {@code auth_failed}. */
    AUTH(1),
    /** Stale timestamp or reused test id: also {@code auth_failed} (often a clock problem). */
    REPLAY(2),
    /** A request the responder will not serve (version, stream count, malformed). */
    BAD_REQUEST(3),
    /** The responder is shutting down. */
    UNAVAILABLE(4);

    private final int code;

    RejectCode(int code) {
        this.code = code;
    }

    int code() {
        return code;
    }

    static RejectCode ofCode(int code) {
        for (RejectCode c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return BAD_REQUEST;
    }
}
