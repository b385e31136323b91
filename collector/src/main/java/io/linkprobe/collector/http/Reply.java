package io.linkprobe.collector.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.linkprobe.common.wire.Json;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** An endpoint's answer, independent of Netty's buffers so that endpoints are plain to test. */
public record Reply(HttpResponseStatus status, String contentType, byte[] body, Map<String, String> headers) {
    public static final String TEXT = "text/plain; charset=utf-8";
    public static final String JSON = "application/json";
    public static final String HTML = "text/html; charset=utf-8";

    public Reply {
        headers = Map.copyOf(headers);
    }

    public static Reply of(HttpResponseStatus status, String contentType, byte[] body) {
        return new Reply(status, contentType, body, Map.of());
    }

    /** A one-line plain-text answer, as curl and logs show it. */
    public static Reply text(HttpResponseStatus status, String line) {
        return of(status, TEXT, (line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    public static Reply json(HttpResponseStatus status, Object value) {
        try {
            return of(status, JSON, Json.mapper().writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    public static Reply html(String page) {
        return of(HttpResponseStatus.OK, HTML, page.getBytes(StandardCharsets.UTF_8));
    }

    /** A refusal: the reason's status, the message as one line, and Retry-After where retrying helps. */
    public static Reply refused(RejectReason reason, String message) {
        Reply reply = text(reason.status(), message.replace('\n', ' ').replace('\r', ' '));
        return reason.retryAfterSeconds() > 0
                ? reply.withHeader("Retry-After", Integer.toString(reason.retryAfterSeconds()))
                : reply;
    }

    public Reply withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new Reply(status, contentType, body, more);
    }
}
