package io.linkprobe.common.throughput.server;

import io.linkprobe.common.throughput.protocol.ThroughputKeys;
import java.util.List;

/**
 * How the responder finds the HMAC keys for a HELLO's key id (the site name). The collector's
 * embedded responder looks the site's tokens up and {@link ThroughputKeys#derive derives} their
 * keys; a standalone responder with a {@code --key-file} uses {@link #sharedKey}.
 */
@FunctionalInterface
public interface KeyLookup {
    /**
     * The keys a hello from this key id may be signed with (32 bytes each, from
     * {@link ThroughputKeys#derive}); more than one while a site's token is being rotated; empty if
     * the key id is unknown.
     */
    List<byte[]> keysFor(String keyId);

    /** One key for every key id. */
    static KeyLookup sharedKey(byte[] key) {
        byte[] copy = key.clone();
        return keyId -> List.of(copy.clone());
    }
}
