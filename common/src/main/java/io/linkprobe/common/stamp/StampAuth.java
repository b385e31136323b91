package io.linkprobe.common.stamp;

import io.netty.buffer.ByteBuf;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The shared key of STAMP authenticated mode (RFC 8762 §4.4): HMAC-SHA-256 over the packet's first
 * 96 bytes, truncated to 16 bytes and carried at offset 96. How the key reaches both ends is out of
 * the RFC's scope; here it is configuration.
 */
public final class StampAuth {
    static final int HMAC_SIZE = 16;
    static final int COVERED = 96;
    private final SecretKeySpec key;

    public StampAuth(byte[] key) {
        if (key.length < 16) {
            throw new IllegalArgumentException("STAMP key must be at least 16 bytes, got " + key.length);
        }
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
    }

    /** A signer for one thread: it holds a {@link Mac} and scratch space, so signing allocates nothing. */
    public Signer newSigner() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return new Signer(mac);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    /** Signs and verifies packets; not thread-safe. */
    public static final class Signer {
        private final Mac mac;
        private final byte[] digest = new byte[32];
        private final byte[] received = new byte[HMAC_SIZE];

        private Signer(Mac mac) {
            this.mac = mac;
        }

        /** Writes the HMAC of the 112-byte packet starting at {@code index}. */
        public void sign(ByteBuf buf, int index) {
            compute(buf, index);
            buf.setBytes(index + COVERED, digest, 0, HMAC_SIZE);
        }

        /** True when the packet at {@code index} carries the right HMAC; constant time. */
        public boolean verify(ByteBuf buf, int index) {
            compute(buf, index);
            buf.getBytes(index + COVERED, received);
            int difference = 0; // constant time, like MessageDigest.isEqual, without copying
            for (int i = 0; i < HMAC_SIZE; i++) {
                difference |= digest[i] ^ received[i];
            }
            return difference == 0;
        }

        private void compute(ByteBuf buf, int index) {
            if (buf.hasArray()) {
                mac.update(buf.array(), buf.arrayOffset() + index, COVERED);
            } else {
                mac.update(buf.nioBuffer(index, COVERED));
            }
            try {
                mac.doFinal(digest, 0);
            } catch (javax.crypto.ShortBufferException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
