package io.linkprobe.collector.config;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import io.linkprobe.common.config.ByteSizes;
import java.io.IOException;

/**
 * A size as operators write it: {@code 1MiB}, {@code 512KiB}, {@code 16kB}, or a bare number of
 * bytes. Binary units (KiB, MiB, GiB) are powers of 1024, decimal ones (kB, MB, GB) powers of 1000,
 * so that {@code 1MiB} means exactly what the limit check compares against.
 */
@JsonDeserialize(using = ByteSize.Reader.class)
public record ByteSize(long bytes) {
    public ByteSize {
        if (bytes < 0) {
            throw new IllegalArgumentException("a size cannot be negative");
        }
    }

    public static ByteSize ofKibibytes(long n) {
        return new ByteSize(Math.multiplyExact(n, 1024L));
    }

    public static ByteSize ofMebibytes(long n) {
        return new ByteSize(Math.multiplyExact(n, 1024L * 1024L));
    }

    /** Reads a size by the rule agent.yml uses too ({@link ByteSizes}). */
    public static ByteSize parse(String text) {
        return new ByteSize(ByteSizes.parse(text));
    }

    /** The size as an int, for Netty limits that take one; refuses what does not fit. */
    public int toIntExact() {
        return Math.toIntExact(bytes);
    }

    @JsonValue
    @Override
    public String toString() {
        if (bytes > 0 && bytes % 1_048_576L == 0) {
            return bytes / 1_048_576L + "MiB";
        }
        if (bytes > 0 && bytes % 1_024L == 0) {
            return bytes / 1_024L + "KiB";
        }
        return Long.toString(bytes);
    }

    /** Reads a YAML number as bytes and a string through {@link #parse}. */
    static final class Reader extends StdScalarDeserializer<ByteSize> {
        Reader() {
            super(ByteSize.class);
        }

        @Override
        public ByteSize deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
                return new ByteSize(p.getLongValue());
            }
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                return (ByteSize) ctxt.handleUnexpectedToken(ByteSize.class, p);
            }
            String text = p.getText();
            try {
                return parse(text);
            } catch (IllegalArgumentException e) {
                // A plain mapping exception carries this message as it is, not "not a valid <type>".
                throw com.fasterxml.jackson.databind.JsonMappingException.from(p, e.getMessage() + ".");
            }
        }
    }
}
