package io.linkprobe.collector.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.linkprobe.common.wire.Json;
import io.linkprobe.common.wire.Sample;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A sample serialised once by {@link Json#mapper()}, with its target and times left as slots, so
 * that thousands of pushes reuse the JSON of a few hundred realistic samples and only write the
 * slots. The sample is serialised with sentinel values in the slots and the JSON is cut at them:
 * {@code JsonTemplateTest} checks that the result equals what Jackson writes for the same sample
 * with real values, so the template cannot drift from the wire model.
 */
final class JsonTemplate {
    static final String TARGET = "tgt-sentinel-5e1b";
    /** 13 digits: no count or RTT in a sample has that many, so the cut cannot land elsewhere. */
    static final long START = 1_111_111_111_111L;
    static final long END = 1_222_222_222_222L;

    private static final int SLOT_TARGET = 0;
    private static final int SLOT_START = 1;
    private static final int SLOT_END = 2;

    private final byte[][] literals;
    private final int[] slots;

    private JsonTemplate(byte[][] literals, int[] slots) {
        this.literals = literals;
        this.slots = slots;
    }

    /** {@code sample} must carry {@link #TARGET}, {@link #START} and {@link #END} where it has them. */
    static JsonTemplate of(Sample sample) {
        String json;
        try {
            json = Json.mapper().writerFor(Sample.class).writeValueAsString(sample);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a wire sample must serialise", e);
        }
        String[] sentinels = {TARGET, Long.toString(START), Long.toString(END)};
        List<byte[]> literals = new ArrayList<>();
        List<Integer> slots = new ArrayList<>();
        int from = 0;
        while (true) {
            int next = -1;
            int slot = -1;
            for (int s = 0; s < sentinels.length; s++) {
                int at = json.indexOf(sentinels[s], from);
                if (at >= 0 && (next < 0 || at < next)) {
                    next = at;
                    slot = s;
                }
            }
            if (next < 0) {
                literals.add(json.substring(from).getBytes(StandardCharsets.UTF_8));
                break;
            }
            literals.add(json.substring(from, next).getBytes(StandardCharsets.UTF_8));
            slots.add(slot);
            from = next + sentinels[slot].length();
        }
        return new JsonTemplate(literals.toArray(byte[][]::new), slots.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Writes the sample with these values; {@code target} must be a plain name (no JSON escapes). */
    void write(Bytes out, String target, long startMillis, long endMillis) {
        out.append(literals[0]);
        for (int i = 0; i < slots.length; i++) {
            switch (slots[i]) {
                case SLOT_TARGET -> out.ascii(target);
                case SLOT_START -> out.append(startMillis);
                case SLOT_END -> out.append(endMillis);
                default -> throw new IllegalStateException("slot " + slots[i]);
            }
            out.append(literals[i + 1]);
        }
    }
}
