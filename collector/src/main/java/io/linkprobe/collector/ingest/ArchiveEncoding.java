package io.linkprobe.collector.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.linkprobe.collector.archive.ArchiveBatch;
import io.linkprobe.common.wire.Json;
import io.linkprobe.common.wire.PushBatch;
import io.linkprobe.common.wire.Sample;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a validated push into archive rows. Each sample is re-serialised from the parsed record
 * (with its {@code type}), not copied from the request, so the archive holds normalised JSON that
 * the wire model reads back, whatever extra fields a newer agent sent.
 */
final class ArchiveEncoding {
    private static final ObjectWriter SAMPLE = Json.mapper().writerFor(Sample.class);

    private ArchiveEncoding() {}

    static ArchiveBatch encode(PushBatch batch, long receivedMillis) {
        try {
            List<ArchiveBatch.Row> rows = new ArrayList<>(batch.samples().size());
            for (Sample sample : batch.samples()) {
                rows.add(new ArchiveBatch.Row(sample.target(), sample.kind().wireName(), sample.endEpochMillis(),
                        SAMPLE.writeValueAsString(sample)));
            }
            return new ArchiveBatch(batch.agent().site(), batch.agent().agentId(), batch.sequence(), receivedMillis,
                    Json.mapper().writeValueAsString(batch.agent()), rows);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed sample must serialise again", e);
        }
    }
}
