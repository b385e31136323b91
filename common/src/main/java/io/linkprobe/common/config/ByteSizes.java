package io.linkprobe.common.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import java.io.IOException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte sizes as operators write them, in agent.yml and collector.yml alike: {@code 512MiB},
 * {@code 64 KiB}, {@code 1GB}, or a bare number of bytes. Binary units (KiB, MiB, GiB) are powers of
 * 1024, decimal ones (kB, MB, GB) powers of 1000. One rule for both programs.
 */
public final class ByteSizes {
    private static final Pattern FORMAT =
            Pattern.compile("(\\d+)\\s*(b|kb|kib|mb|mib|gb|gib)?", Pattern.CASE_INSENSITIVE);

    private ByteSizes() {}

    /** @throws IllegalArgumentException naming the fix */
    public static long parse(String text) {
        Matcher m = FORMAT.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size; write e.g. 1048576, 512KiB or 1MiB");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
        long factor = switch (unit) {
            case "kb" -> 1_000L;
            case "kib" -> 1_024L;
            case "mb" -> 1_000_000L;
            case "mib" -> 1_048_576L;
            case "gb" -> 1_000_000_000L;
            case "gib" -> 1_073_741_824L;
            default -> 1L;
        };
        return Math.multiplyExact(n, factor);
    }

    /**
     * Reads a {@code Long} byte-size key: a YAML number is bytes, a string goes through {@link #parse}.
     * Put on a record component with {@code @JsonDeserialize(using = ByteSizes.LongReader.class)}.
     */
    public static final class LongReader extends StdScalarDeserializer<Long> {
        public LongReader() {
            super(Long.class);
        }

        @Override
        public Long deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
                return p.getLongValue();
            }
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                return (Long) ctxt.handleUnexpectedToken(Long.class, p);
            }
            try {
                return parse(p.getText());
            } catch (IllegalArgumentException e) {
                throw JsonMappingException.from(p, e.getMessage() + ".");
            }
        }
    }
}
