package io.linkprobe.common.wire;

import java.util.List;

/**
 * Body of {@code POST /api/v1/samples}. {@code (agent.agentId, sequence)} is the idempotency key:
 * a batch replayed after a crash or a lost ack is stored once. Sequences increase per agent.
 */
public record PushBatch(AgentIdentity agent, long sequence, List<Sample> samples) {
    public PushBatch {
        samples = samples == null ? List.of() : List.copyOf(samples);
    }
}
