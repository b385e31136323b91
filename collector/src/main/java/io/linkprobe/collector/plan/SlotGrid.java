package io.linkprobe.collector.plan;

import io.linkprobe.common.wire.Plan;

/**
 * The time grid slots are placed on. A slot holds the responder for each direction's test
 * (sequential), plus the idle-latency measurement before it and a margin for connection set-up and
 * clock error, rounded up to the grid.
 */
public final class SlotGrid {
    public static final long GRID_MILLIS = 5_000;
    /** The idle RTT measured before each direction's load (the throughput test's reference). */
    static final long IDLE_LATENCY_MILLIS = Plan.Throughput.IDLE_RTT_MILLIS;
    /** Connection set-up, the hello exchange and the agents' clock error (NTP keeps it well under this). */
    static final long SETUP_MARGIN_MILLIS = Plan.Throughput.SET_UP_MILLIS;

    private SlotGrid() {}

    /** A video-readiness test: its whole ladder plus the set-up margin, rounded up to the grid. */
    public static long videoSlotMillis(long ladderMillis) {
        long raw = ladderMillis + SETUP_MARGIN_MILLIS;
        return (raw + GRID_MILLIS - 1) / GRID_MILLIS * GRID_MILLIS;
    }

    public static long slotMillis(int directions, long durationMillis) {
        long raw = directions * (durationMillis + IDLE_LATENCY_MILLIS + SETUP_MARGIN_MILLIS);
        return (raw + GRID_MILLIS - 1) / GRID_MILLIS * GRID_MILLIS;
    }
}
