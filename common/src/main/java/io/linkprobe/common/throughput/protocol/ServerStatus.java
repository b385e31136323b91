package io.linkprobe.common.throughput.protocol;


/**
 * How busy a responder is: the answer to a STATUS query, and
 * {@link io.linkprobe.common.throughput.server.ThroughputServer#status()}.
 */
public record ServerStatus(int runningTests, int queueLength, int maxConcurrentTests) {}
