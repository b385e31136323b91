package io.linkprobe.collector.http;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HTTP basic auth against bcrypt hashes ({@code basic_auth_users} of the web config), as
 * Prometheus' exporter-toolkit does it. A bcrypt check costs tens of milliseconds by design, so a
 * credential once verified is remembered by its SHA-256 (never in clear) for the life of the
 * process, up to a bound; a wrong one is checked again every time.
 */
public final class BasicAuth {
    private static final int MAX_REMEMBERED = 1_000;

    private final Map<String, byte[]> hashByUser;
    private final Set<String> verified = ConcurrentHashMap.newKeySet();

    public BasicAuth(Map<String, String> bcryptByUser) {
        Map<String, byte[]> m = new java.util.HashMap<>();
        bcryptByUser.forEach((user, hash) -> m.put(user, hash.getBytes(StandardCharsets.UTF_8)));
        this.hashByUser = Map.copyOf(m);
    }

    /** {@code endpoint}, answering 401 with a challenge unless the request carries a known user's password. */
    public Endpoint guard(Endpoint endpoint) {
        return request -> {
            if (allows(request.headers().get(HttpHeaderNames.AUTHORIZATION))) {
                return endpoint.handle(request);
            }
            return CompletableFuture.completedFuture(Reply.text(HttpResponseStatus.UNAUTHORIZED,
                    "this collector needs a user and password (basic auth) for this page; ask its operator")
                    .withHeader(HttpHeaderNames.WWW_AUTHENTICATE.toString(), "Basic realm=\"linkprobe\", charset=\"UTF-8\""));
        };
    }

    boolean allows(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String key = sha256(authorization);
        if (verified.contains(key)) {
            return true;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = decoded.indexOf(':');
        byte[] hash = colon < 0 ? null : hashByUser.get(decoded.substring(0, colon));
        if (hash == null) {
            return false;
        }
        boolean ok = BCrypt.verifyer().verify(decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8), hash).verified;
        if (ok && verified.size() < MAX_REMEMBERED) {
            verified.add(key);
        }
        return ok;
    }

    private static String sha256(String s) {
        try {
            return Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
