package io.linkprobe.common.throughput;

import java.util.Optional;

/**
 * How the responder finds the HMAC key for a HELLO's key id (the site name). The collector's
 * embedded responder looks the site's token up and {@link ThroughputKeys#derive derives} the key;
 * a standalone responder with a {@code --key-file} uses {@link #sharedKey}.
 */
@FunctionalInterface
public interface KeyLookup {
    /** The key for this key id (32 bytes from {@link ThroughputKeys#derive}), or empty if unknown. */
    Optional<byte[]> keyFor(String keyId);

    /** One key for every key id. */
    static KeyLookup sharedKey(byte[] key) {
        byte[] copy = key.clone();
        return keyId -> Optional.of(copy.clone());
    }
}
