package io.linkprobe.collector.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * What an {@link Endpoint} sees of a request.
 *
 * @param body valid only until the endpoint returns
 * @param loop the connection's event loop: continue there to touch the channel or keep ordering
 * @param remote the peer's address (null when unknown, e.g. in a unit test)
 */
public record Request(
        HttpMethod method,
        String path,
        Map<String, List<String>> query,
        HttpHeaders headers,
        ByteBuf body,
        Executor loop,
        SocketAddress remote) {

    static Request of(FullHttpRequest request, Executor loop, SocketAddress remote) {
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        return new Request(request.method(), uri.path(), uri.parameters(), request.headers(), request.content(), loop,
                remote);
    }

    /** Whether the peer is on this host (a loopback address). */
    public boolean fromLoopback() {
        return remote instanceof InetSocketAddress a && a.getAddress() != null && a.getAddress().isLoopbackAddress();
    }

    /**
     * The host name the client used to reach us: the {@code Host} header without its port (and
     * without the brackets of an IPv6 literal), or null when the request has none.
     */
    public String host() {
        String host = headers.get(io.netty.handler.codec.http.HttpHeaderNames.HOST);
        if (host == null || host.isBlank()) {
            return null;
        }
        host = host.trim();
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end > 1 ? host.substring(1, end) : null;
        }
        int colon = host.indexOf(':');
        return colon >= 0 ? host.substring(0, colon) : host;
    }

    /** The first value of a query parameter, or null. */
    public String param(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
