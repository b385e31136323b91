package io.linkprobe.common.throughput;

/** How busy a responder is: the answer to a STATUS query, and {@link ThroughputServer#status()}. */
public record ServerStatus(int runningTests, int queueLength, int maxConcurrentTests) {}
