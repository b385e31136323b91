/**
 * The responder's end of a throughput test: {@link io.linkprobe.common.throughput.server.ThroughputServer}
 * with its limits ({@link io.linkprobe.common.throughput.server.ServerOptions}), admission queue,
 * hello authentication and replay guard, and one {@code ServerSession} per accepted test.
 */
package io.linkprobe.common.throughput.server;
