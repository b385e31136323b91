package io.linkprobe.common.throughput.protocol;

/** Why a direction's load ended; carried by STOP (client's reason) and RESULT (server's view). */
public enum StopReason {
    /** The client saw stable goodput (the early stop rule). */
    STABLE(1, "goodput stable"),
    /** The granted duration ran out (client's timer, or the server enforcing it). */
    DURATION_LIMIT(2, "duration limit reached"),
    /** The granted byte budget ran out (the sender stops; a receiver cuts a sender that exceeds it). */
    BYTES_LIMIT(3, "byte limit reached"),
    /** The client gave up (cancelled, or its own timeout). */
    CANCELLED(4, "cancelled"),
    /** Not all data connections arrived in time after ACCEPT. */
    STREAMS_MISSING(5, "data connections did not all arrive"),
    /** A data or control connection broke during the test. */
    CONNECTION_LOST(6, "a connection was lost during the test"),
    /** The responder is shutting down. */
    SERVER_CLOSING(7, "responder shutting down"),
    /** Upload: every stream ended with a FIN before the client's STOP was read. */
    SENDER_FINISHED(8, "the sender finished");

    private final int code;
    private final String text;

    StopReason(int code, String text) {
        this.code = code;
        this.text = text;
    }

    int code() {
        return code;
    }

    public String text() {
        return text;
    }

    static StopReason ofCode(int code) {
        for (StopReason r : values()) {
            if (r.code == code) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown stop reason code " + code);
    }
}
