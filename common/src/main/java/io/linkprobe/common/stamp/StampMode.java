package io.linkprobe.common.stamp;

/**
 * The two STAMP test-packet layouts of RFC 8762 (with the SSID of RFC 8972 §3), as byte offsets.
 * Both directions of one mode have the same base size, and the fields the sender fills sit at the
 * same offsets in the reflector's packet, which is what lets a reflector answer in place.
 *
 * <p>Unauthenticated (§4.2.1 / §4.3.1), 44 bytes:
 * <pre>
 * Session-Sender                      Session-Reflector
 *  0  Sequence Number (4)              0  Sequence Number (4)
 *  4  Timestamp (8)                    4  Timestamp (8)
 * 12  Error Estimate (2)              12  Error Estimate (2)
 * 14  SSID (2)                        14  SSID (2)
 * 16  MBZ (28)                        16  Receive Timestamp (8)
 *                                     24  Session-Sender Sequence Number (4)
 *                                     28  Session-Sender Timestamp (8)
 *                                     36  Session-Sender Error Estimate (2)
 *                                     38  MBZ (2)
 *                                     40  Ses-Sender TTL (1)
 *                                     41  MBZ (3)
 * </pre>
 * Authenticated (§4.2.2 / §4.3.2), 112 bytes, HMAC-SHA-256 truncated to 16 bytes over bytes 0-95:
 * <pre>
 * Session-Sender                      Session-Reflector
 *  0  Sequence Number (4)              0  Sequence Number (4)
 *  4  MBZ (12)                         4  MBZ (12)
 * 16  Timestamp (8)                   16  Timestamp (8)
 * 24  Error Estimate (2)              24  Error Estimate (2)
 * 26  SSID (2)                        26  SSID (2)
 * 28  MBZ (68)                        28  MBZ (4)
 *                                     32  Receive Timestamp (8)
 *                                     40  MBZ (8)
 *                                     48  Session-Sender Sequence Number (4)
 *                                     52  MBZ (12)
 *                                     64  Session-Sender Timestamp (8)
 *                                     72  Session-Sender Error Estimate (2)
 *                                     74  MBZ (6)
 *                                     80  Ses-Sender TTL (1)
 *                                     81  MBZ (15)
 * 96  HMAC (16)                       96  HMAC (16)
 * </pre>
 */
public enum StampMode {
    UNAUTHENTICATED(44, 0, 4, 12, 14, 16, 24, 28, 36, 40, -1),
    AUTHENTICATED(112, 0, 16, 24, 26, 32, 48, 64, 72, 80, 96);

    public final int baseSize;
    final int seq;
    final int timestamp;
    final int errorEstimate;
    final int ssid;
    final int receiveTimestamp;
    final int senderSeq;
    final int senderTimestamp;
    final int senderErrorEstimate;
    final int senderTtl;
    final int hmac;

    StampMode(int baseSize, int seq, int timestamp, int errorEstimate, int ssid, int receiveTimestamp,
            int senderSeq, int senderTimestamp, int senderErrorEstimate, int senderTtl, int hmac) {
        this.baseSize = baseSize;
        this.seq = seq;
        this.timestamp = timestamp;
        this.errorEstimate = errorEstimate;
        this.ssid = ssid;
        this.receiveTimestamp = receiveTimestamp;
        this.senderSeq = senderSeq;
        this.senderTimestamp = senderTimestamp;
        this.senderErrorEstimate = senderErrorEstimate;
        this.senderTtl = senderTtl;
        this.hmac = hmac;
    }

    /**
     * The smallest reflector packet a sender accepts: every field up to the Session-Sender Error
     * Estimate (38 bytes), plus the HMAC when authenticated. A TWAMP-Light reflector sends 41 bytes
     * before padding (RFC 5357 §4.2.1) and some send 38 (nokia/twampy: no TTL); those still carry
     * all that an RTT needs, and their Ses-Sender TTL reads as unknown (0).
     */
    public int minReplySize() {
        return this == AUTHENTICATED ? baseSize : senderErrorEstimate + 2;
    }

    /**
     * The smallest Session-Sender packet a reflector answers: in unauthenticated mode a TWAMP-Light
     * request of 14 bytes (sequence number, timestamp, error estimate; RFC 5357 §4.1.2), which gets
     * the zero-filled base packet back (RFC 8762 §4.6); authenticated requests must be whole.
     */
    public int minRequestSize() {
        return this == AUTHENTICATED ? baseSize : errorEstimate + 2;
    }
}
