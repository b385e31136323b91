package io.linkprobe.collector.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.linkprobe.common.wire.Json;
import io.linkprobe.common.wire.Plan;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A plan's version and its exact bytes. The version is the first 64 bits of the SHA-256 of the
 * plan's JSON without its version, so equal plans have equal versions in any collector, across
 * restarts; map keys are written sorted so that the bytes, too, are the same each time (a strong
 * ETag promises identical bytes).
 */
public final class PlanVersion {
    private static final ObjectWriter WRITER = Json.mapper().writer().with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private PlanVersion() {}

    /** {@code plan} carrying its version. */
    public static Plan versioned(Plan plan) {
        byte[] bytes = bytes(plan.withVersion(null));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return plan.withVersion(HexFormat.of().formatHex(digest, 0, 8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    public static byte[] bytes(Plan plan) {
        try {
            return WRITER.writeValueAsBytes(plan);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a plan always serialises", e);
        }
    }
}
