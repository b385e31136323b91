package io.linkprobe.collector.plan;

/**
 * Where and when a site's test runs: on {@code responder}, at every Unix time {@code t} (ms) with
 * {@code (t - offsetMillis) mod everyMillis == 0}, for {@code slotMillis}.
 *
 * @param stretch {@code everyMillis} ÷ the period the site asked for
 */
public record Slot(String responder, long offsetMillis, long everyMillis, long slotMillis, double stretch) {}
