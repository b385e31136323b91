package io.linkprobe.common.throughput.protocol;

import io.linkprobe.common.throughput.measurement.TcpStats;
import java.util.Arrays;
import java.util.Objects;

/** The messages of the control connection; {@link ControlCodec} has their bytes. */
public sealed interface ControlMessage {
    int VERSION = 1;

    /** Client → server: the test request, optionally signed (see {@link HelloAuth}). */
    record Hello(
            int version,
            TestId testId,
            Direction direction,
            int streams,
            int intervalMillis,
            long maxDurationMillis,
            long maxBytes,
            long clientTimeMillis,
            String keyId,
            byte[] hmac) implements ControlMessage {
        public Hello {
            Objects.requireNonNull(testId, "testId");
            Objects.requireNonNull(direction, "direction");
            keyId = keyId == null ? "" : keyId;
            hmac = hmac == null ? new byte[0] : hmac.clone();
        }

        @Override
        public byte[] hmac() {
            return hmac.clone();
        }

        Hello withHmac(byte[] mac) {
            return new Hello(version, testId, direction, streams, intervalMillis, maxDurationMillis, maxBytes,
                    clientTimeMillis, keyId, mac);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Hello h && version == h.version && testId.equals(h.testId)
                    && direction == h.direction && streams == h.streams && intervalMillis == h.intervalMillis
                    && maxDurationMillis == h.maxDurationMillis && maxBytes == h.maxBytes
                    && clientTimeMillis == h.clientTimeMillis && keyId.equals(h.keyId)
                    && Arrays.equals(hmac, h.hmac);
        }

        @Override
        public int hashCode() {
            return Objects.hash(testId, direction, streams, clientTimeMillis, keyId) * 31 + Arrays.hashCode(hmac);
        }

        @Override
        public String toString() {
            return "Hello[" + testId + " " + direction.wireName() + " streams=" + streams + " keyId=" + keyId
                    + " signed=" + (hmac.length > 0) + "]";
        }
    }

    /** Server → client: the test may run, within these limits (never more than the client asked). */
    record Accept(long grantedDurationMillis, long grantedBytes, int intervalMillis) implements ControlMessage {}

    /** Server → client: all test slots are taken; come back after {@code retryAfterMillis}. */
    record Busy(long retryAfterMillis, int queuePosition) implements ControlMessage {}

    /** Server → client: the hello is refused; the server closes the connection after this. */
    record Reject(RejectCode code, String reason) implements ControlMessage {}

    /** Server → client: every data connection is attached; the load begins now. */
    record Start() implements ControlMessage {}

    /** Server → client (upload only): bytes the server received in one measurement interval. */
    record Report(int index, long bytes, long elapsedMicros) implements ControlMessage {}

    /** Client → server: the client is ending the load, and why. */
    record Stop(StopReason reason) implements ControlMessage {}

    /**
     * Server → client: the server's totals; bytes it sent (down) or received (up), and for downloads
     * the TCP_INFO of its (sending) connections, null when it has no epoll.
     */
    record Result(StopReason reason, long bytes, long elapsedMicros, TcpStats tcp) implements ControlMessage {}

    /** Client → server: how busy are you? Allowed before a hello, without authentication. */
    record StatusQuery() implements ControlMessage {}

    /** Server → client: the answer to {@link StatusQuery}. */
    record Status(int runningTests, int queueLength, int maxConcurrentTests) implements ControlMessage {}
}
