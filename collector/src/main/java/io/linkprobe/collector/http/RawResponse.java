package io.linkprobe.collector.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * A complete HTTP/1.1 response as bytes, with {@code Connection: close}, for handlers that sit
 * below the HTTP codec (connection limit, read timeout) and must answer before any request has
 * been decoded.
 */
final class RawResponse {
    private RawResponse() {}

    static ByteBuf encode(ByteBufAllocator alloc, RejectReason reason, String message) {
        byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder()
                .append("HTTP/1.1 ").append(reason.status().code()).append(' ')
                .append(reason.status().reasonPhrase()).append("\r\n")
                .append("Content-Type: ").append(Reply.TEXT).append("\r\n")
                .append("Content-Length: ").append(body.length).append("\r\n")
                .append("Connection: close\r\n");
        if (reason.retryAfterSeconds() > 0) {
            head.append("Retry-After: ").append(reason.retryAfterSeconds()).append("\r\n");
        }
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.US_ASCII);
        ByteBuf buf = alloc.buffer(headBytes.length + body.length);
        buf.writeBytes(headBytes).writeBytes(body);
        return buf;
    }
}
