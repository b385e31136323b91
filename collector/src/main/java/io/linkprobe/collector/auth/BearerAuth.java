package io.linkprobe.collector.auth;

import io.linkprobe.collector.http.RefusedException;
import io.linkprobe.collector.http.RejectReason;
import io.linkprobe.collector.http.Reply;
import io.linkprobe.collector.http.Request;
import io.linkprobe.common.auth.TokenStore;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.util.Optional;
import java.util.function.Supplier;

/** The site a request's {@code Authorization: Bearer <token>} admits, for every endpoint an agent calls. */
public final class BearerAuth {
    private static final String BEARER = "Bearer ";

    private final Supplier<TokenStore> tokens;

    public BearerAuth(Supplier<TokenStore> tokens) {
        this.tokens = tokens;
    }

    /** @throws RefusedException {@link RejectReason#UNAUTHORIZED} without a header or with an unknown token */
    public String site(Request request) throws RefusedException {
        String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw new RefusedException(RejectReason.UNAUTHORIZED,
                    "missing 'Authorization: Bearer <token>' header; configure the agent's token_file");
        }
        Optional<String> site = tokens.get().siteFor(header.substring(BEARER.length()).trim());
        if (site.isEmpty()) {
            throw new RefusedException(RejectReason.UNAUTHORIZED,
                    "unknown token; issue one with 'linkprobe-collector token new --site SITE' and add its line to the tokens file");
        }
        return site.get();
    }

    /** The answer to a refusal, with the challenge a 401 carries. */
    public static Reply refused(RefusedException e) {
        Reply reply = Reply.refused(e.reason(), e.getMessage());
        return e.reason() == RejectReason.UNAUTHORIZED
                ? reply.withHeader("WWW-Authenticate", "Bearer realm=\"linkprobe\"")
                : reply;
    }
}
