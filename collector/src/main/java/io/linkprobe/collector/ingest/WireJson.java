package io.linkprobe.collector.ingest;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import io.linkprobe.common.wire.AgentIdentity;
import io.linkprobe.common.wire.Json;
import io.linkprobe.common.wire.PushBatch;

/**
 * Readers of the wire model that accept what {@link Json#mapper()} writes. That mapper leaves
 * null fields out on write but, with {@code FAIL_ON_MISSING_CREATOR_PROPERTIES}, refuses records
 * whose nullable fields are absent on read; so an agent's window without one-way delay, or an
 * identity without a contract, would not read back. Absent fields read as null (or 0), and
 * {@link PushValidator} refuses what must not be missing.
 */
public final class WireJson {
    private static final ObjectReader BATCH = Json.mapper().readerFor(PushBatch.class)
            .without(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);
    private static final ObjectReader IDENTITY = Json.mapper().readerFor(AgentIdentity.class)
            .without(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);

    private WireJson() {}

    public static ObjectReader batch() {
        return BATCH;
    }

    public static ObjectReader identity() {
        return IDENTITY;
    }
}
