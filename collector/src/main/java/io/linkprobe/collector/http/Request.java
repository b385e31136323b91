package io.linkprobe.collector.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * What an {@link Endpoint} sees of a request.
 *
 * @param body valid only until the endpoint returns
 * @param loop the connection's event loop: continue there to touch the channel or keep ordering
 */
public record Request(
        HttpMethod method,
        String path,
        Map<String, List<String>> query,
        HttpHeaders headers,
        ByteBuf body,
        Executor loop) {

    static Request of(FullHttpRequest request, Executor loop) {
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        return new Request(request.method(), uri.path(), uri.parameters(), request.headers(), request.content(), loop);
    }

    /** The first value of a query parameter, or null. */
    public String param(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
