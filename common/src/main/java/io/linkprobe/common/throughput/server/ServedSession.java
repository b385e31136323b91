package io.linkprobe.common.throughput.server;

import io.linkprobe.common.throughput.protocol.Direction;

/**
 * A test the responder served, as the responder saw it: for the collector's own counters and logs.
 *
 * @param keyId the key id (site name) of the hello; "" if unauthenticated
 * @param endReason why the load ended, in words (e.g. "goodput stable", "byte limit reached")
 * @param bytes what the responder sent (down) or received (up)
 * @param seconds from START to the end of the load as the responder saw it
 */
public record ServedSession(String testId, String keyId, String remoteAddress, Direction direction, int streams,
        String endReason, long bytes, double seconds) {}
