package io.linkprobe.agent.plan;

import io.linkprobe.agent.config.TargetConfig;

/** One test the plan schedules: towards {@code target} (a responder of the collector's pool), in {@code slot}. */
public record Scheduled(TargetConfig target, Slot slot) {}
