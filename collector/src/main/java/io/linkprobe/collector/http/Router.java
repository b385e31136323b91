package io.linkprobe.collector.http;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps method and path to an endpoint: exact paths, then path prefixes (for
 * {@code /api/v1/sites/{site}}). A known path with another method gets 405 and {@code Allow}.
 */
public final class Router {
    private static final Logger log = LoggerFactory.getLogger(Router.class);

    private final Map<String, Map<HttpMethod, Endpoint>> exact = new LinkedHashMap<>();
    private final List<Map.Entry<String, Map<HttpMethod, Endpoint>>> prefixes = new ArrayList<>();

    public Router route(HttpMethod method, String path, Endpoint endpoint) {
        exact.computeIfAbsent(path, p -> new LinkedHashMap<>()).put(method, endpoint);
        return this;
    }

    /** Routes every path that starts with {@code prefix} (which should end with '/'). */
    public Router routePrefix(HttpMethod method, String prefix, Endpoint endpoint) {
        for (Map.Entry<String, Map<HttpMethod, Endpoint>> e : prefixes) {
            if (e.getKey().equals(prefix)) {
                e.getValue().put(method, endpoint); // one prefix, several methods
                return this;
            }
        }
        Map<HttpMethod, Endpoint> byMethod = new LinkedHashMap<>();
        byMethod.put(method, endpoint);
        prefixes.add(Map.entry(prefix, byMethod));
        return this;
    }

    public CompletionStage<Reply> dispatch(Request request) {
        Map<HttpMethod, Endpoint> byMethod = exact.get(request.path());
        if (byMethod == null) {
            byMethod = prefixes.stream()
                    .filter(e -> request.path().startsWith(e.getKey()) && request.path().length() > e.getKey().length())
                    .map(Map.Entry::getValue).findFirst().orElse(null);
        }
        if (byMethod == null) {
            return CompletableFuture.completedFuture(
                    Reply.text(HttpResponseStatus.NOT_FOUND, "no such resource: " + request.path()));
        }
        Endpoint endpoint = byMethod.get(request.method());
        if (endpoint == null) {
            String allow = byMethod.keySet().stream().map(HttpMethod::name).collect(Collectors.joining(", "));
            return CompletableFuture.completedFuture(Reply.text(HttpResponseStatus.METHOD_NOT_ALLOWED,
                    request.method() + " is not allowed on " + request.path() + "; use " + allow)
                    .withHeader("Allow", allow));
        }
        try {
            return endpoint.handle(request);
        } catch (RuntimeException e) {
            log.error("{} {} failed", request.method(), request.path(), e);
            return CompletableFuture.completedFuture(
                    Reply.text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error; see the collector's log"));
        }
    }
}
