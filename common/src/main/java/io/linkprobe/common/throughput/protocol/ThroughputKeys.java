package io.linkprobe.common.throughput.protocol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Where the HMAC key comes from. Both ends derive it the same way from a shared secret string: the
 * agent's bearer token (the collector's embedded responder knows every site's token) or the trimmed
 * content of a {@code --key-file}. Hashing makes a key of fixed length from a secret of any length.
 */
public final class ThroughputKeys {
    private ThroughputKeys() {}

    /** The HMAC key: SHA-256 of the secret's UTF-8 bytes. */
    public static byte[] derive(String secret) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("secret must not be empty");
        }
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }

    /**
     * Reads a key file's secret: its content with surrounding whitespace (a trailing newline) removed.
     *
     * @throws IOException if unreadable; IllegalArgumentException if it holds only whitespace
     */
    public static String readSecret(Path keyFile) throws IOException {
        String secret = Files.readString(keyFile, StandardCharsets.UTF_8).trim();
        if (secret.isEmpty()) {
            throw new IllegalArgumentException(keyFile + ": key file is empty");
        }
        return secret;
    }
}
