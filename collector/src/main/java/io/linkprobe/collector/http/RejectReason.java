package io.linkprobe.collector.http;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Why a request or connection was refused: the {@code reason} tag of
 * {@code linkprobe_collector_rejected_total} (a closed set) and the status it is answered with.
 * Agents never retry 4xx other than 408 and 429; they retry 408, 429 and 503 after
 * {@code Retry-After}.
 */
public enum RejectReason {
    MALFORMED("malformed", HttpResponseStatus.BAD_REQUEST, 0),
    /** A sample whose values cannot all be true (Plausibility): refused, never stored or counted. */
    IMPLAUSIBLE("implausible", HttpResponseStatus.BAD_REQUEST, 0),
    UNSUPPORTED_ENCODING("unsupported_encoding", HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, 0),
    UNAUTHORIZED("unauthorized", HttpResponseStatus.UNAUTHORIZED, 0),
    WRONG_SITE("wrong_site", HttpResponseStatus.FORBIDDEN, 0),
    BATCH_CONFLICT("batch_conflict", HttpResponseStatus.CONFLICT, 0),
    BODY_TOO_LARGE("body_too_large", HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, 0),
    HEADERS_TOO_LARGE("headers_too_large", HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, 0),
    URI_TOO_LONG("uri_too_long", HttpResponseStatus.REQUEST_URI_TOO_LONG, 0),
    READ_TIMEOUT("read_timeout", HttpResponseStatus.REQUEST_TIMEOUT, 0),
    /** A keep-alive connection closed for sending nothing; no response is written. */
    IDLE_TIMEOUT("idle_timeout", null, 0),
    MAX_CONNECTIONS("max_connections", HttpResponseStatus.SERVICE_UNAVAILABLE, 5),
    /** New sites are refused until old ones are forgotten (archive retention) or the limit is raised. */
    MAX_SITES("max_sites", HttpResponseStatus.TOO_MANY_REQUESTS, 600),
    MAX_TARGETS("max_targets", HttpResponseStatus.BAD_REQUEST, 0),
    MAX_LABELS("max_labels", HttpResponseStatus.BAD_REQUEST, 0),
    ARCHIVE_OVERLOADED("archive_overloaded", HttpResponseStatus.SERVICE_UNAVAILABLE, 2),
    /** The archive's disk is full or failing (SQLITE_FULL, disk I/O error); nothing of the push was stored. */
    ARCHIVE_FULL("archive_full", HttpResponseStatus.SERVICE_UNAVAILABLE, 30),
    /** The archive failed otherwise (see the collector's log); nothing of the push was stored. */
    ARCHIVE_ERROR("archive_error", HttpResponseStatus.SERVICE_UNAVAILABLE, 30);

    private final String tagValue;
    private final HttpResponseStatus status;
    private final int retryAfterSeconds;

    RejectReason(String tagValue, HttpResponseStatus status, int retryAfterSeconds) {
        this.tagValue = tagValue;
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public String tagValue() {
        return tagValue;
    }

    public HttpResponseStatus status() {
        return status;
    }

    /** Seconds for the {@code Retry-After} header; 0 when the client must not retry as is. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
