/**
 * The throughput protocol on the wire, shared by both ends: the connection preamble, the control
 * messages with their framing and codec, the data connection header, test ids, hello signing and
 * key derivation, and {@link io.linkprobe.common.throughput.protocol.ThroughputPipelines}, the one
 * place that draws every pipeline.
 */
package io.linkprobe.common.throughput.protocol;
