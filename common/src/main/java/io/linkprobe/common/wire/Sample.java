package io.linkprobe.common.wire;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One result in a push. Every sample carries its own measurement time, so that samples pushed late
 * (from the spool, after an outage) keep the time they were measured, not the time they arrived.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = LatencyWindow.class, name = "latency"),
    @JsonSubTypes.Type(value = ThroughputResult.class, name = "throughput"),
    @JsonSubTypes.Type(value = ConnectResult.class, name = "connect"),
    @JsonSubTypes.Type(value = AgentHealth.class, name = "health"),
})
public sealed interface Sample permits LatencyWindow, ThroughputResult, ConnectResult, AgentHealth {
    /** When the measurement ended, Unix epoch milliseconds. */
    long endEpochMillis();
}
