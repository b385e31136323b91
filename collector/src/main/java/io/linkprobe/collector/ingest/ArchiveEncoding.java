package io.linkprobe.collector.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.linkprobe.collector.archive.ArchiveBatch;
import io.linkprobe.common.wire.Json;
import io.linkprobe.common.wire.PushBatch;

/**
 * Turns a validated push into what the archive stores: its samples encoded from the parsed records
 * (so the archive holds what the wire model reads back, whatever extra fields a newer agent sent),
 * on the thread that parsed it, so that the archive's single writer only writes.
 */
final class ArchiveEncoding {
    private ArchiveEncoding() {}

    static ArchiveBatch encode(PushBatch batch, long receivedMillis) {
        try {
            return ArchiveBatch.of(batch.agent().site(), batch.agent().agentId(), batch.sequence(), receivedMillis,
                    Json.mapper().writeValueAsString(batch.agent()), batch.samples());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed identity must serialise again", e);
        }
    }
}
