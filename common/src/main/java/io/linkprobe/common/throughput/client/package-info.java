/**
 * The agent's end of a throughput test: {@link io.linkprobe.common.throughput.client.ThroughputClient}
 * runs a {@link io.linkprobe.common.throughput.client.ThroughputRequest} one direction at a time (a
 * {@code ClientSession} each) and turns how it ended into a wire {@code ThroughputResult}.
 */
package io.linkprobe.common.throughput.client;
