package io.linkprobe.common.auth;

import io.linkprobe.common.throughput.protocol.ThroughputKeys;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Bearer tokens: 32 random bytes, URL-safe Base64 (43 characters), so they paste into YAML and
 * shell without quoting. The collector keeps only their SHA-256: a stolen tokens file lets nobody
 * push, and a fast hash is enough because a 256-bit random token cannot be guessed.
 */
public final class Tokens {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Tokens() {}

    public static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The token's SHA-256, which is also its throughput HMAC key ({@link ThroughputKeys#derive}). */
    public static String sha256Hex(String token) {
        return HexFormat.of().formatHex(ThroughputKeys.derive(token));
    }

    /** The line of a tokens file that admits {@code token} for {@code site}. */
    public static String fileLine(String token, String site) {
        return sha256Hex(token) + " " + site;
    }
}
