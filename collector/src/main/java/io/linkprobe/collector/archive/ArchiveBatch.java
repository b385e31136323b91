package io.linkprobe.collector.archive;

import java.util.List;

/**
 * One push as the archive stores it: its idempotency key {@code (agentId, sequence)}, the site
 * it was accepted for, and each result as raw JSON with the columns that history queries use.
 *
 * @param identityJson the agent identity as pushed, kept per site to list sites after a restart
 */
public record ArchiveBatch(
        String site,
        String agentId,
        long sequence,
        long receivedMillis,
        String identityJson,
        List<Row> samples) {

    public ArchiveBatch {
        samples = List.copyOf(samples);
    }

    /** Roughly what the batch occupies while queued, to bound the write queue in bytes. */
    public long approximateBytes() {
        long bytes = 256 + identityJson.length();
        for (Row row : samples) {
            bytes += 64 + row.json().length();
        }
        return bytes;
    }

    /**
     * One result.
     *
     * @param target null for results not about a target (agent health)
     * @param type the sample's wire type: latency, throughput, connect, health
     * @param endMillis when the measurement ended (retention and history go by this)
     */
    public record Row(String target, String type, long endMillis, String json) {}
}
