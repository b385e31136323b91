package io.linkprobe.collector.http;

/**
 * Passed down the pipeline in place of a request that a codec refused (body over the limit, bad
 * compression), so that the one request handler answers it in order with the other requests of
 * the connection.
 *
 * @param keepAlive whether the connection can carry on: true when the refused body has been read
 *     or will be discarded by the aggregator, false when the stream is in an unknown state
 */
public record RefusedRequest(RejectReason reason, String message, boolean keepAlive) {}
