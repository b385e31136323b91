package io.linkprobe.collector.archive;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketches;
import com.datadoghq.sketch.ddsketch.encoding.ByteArrayInput;
import com.datadoghq.sketch.ddsketch.encoding.GrowingByteArrayOutput;
import com.datadoghq.sketch.ddsketch.store.UnboundedSizeDenseStore;
import java.io.IOException;

/**
 * The one sketch kind the hourly tier uses: DDSketch with 1 % relative accuracy (a 0.3 ms fibre
 * RTT and a 300 ms bufferbloat spike are both within 1 % of their value), dense unbounded stores,
 * logarithmic mapping. Sketches of the same mapping merge bin by bin, so any number of hours
 * merges to exactly the sketch of all their values; encoded with the library's own compact format
 * (varint bins, no index mapping: it is fixed here).
 */
public final class RollupSketches {
    public static final double RELATIVE_ACCURACY = 0.01;

    private RollupSketches() {}

    public static DDSketch empty() {
        return DDSketches.logarithmicUnboundedDense(RELATIVE_ACCURACY);
    }

    public static byte[] encode(DDSketch sketch) {
        if (sketch == null || sketch.isEmpty()) {
            return null;
        }
        GrowingByteArrayOutput out = GrowingByteArrayOutput.withInitialCapacity(64);
        try {
            sketch.encode(out, true);
        } catch (IOException e) {
            throw new IllegalStateException("encoding into memory cannot fail", e);
        }
        return out.trimmedCopy();
    }

    public static DDSketch decode(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        DDSketch s = empty();
        try {
            s.decodeAndMergeWith(ByteArrayInput.wrap(bytes));
        } catch (IOException | RuntimeException e) {
            throw new io.linkprobe.collector.archive.codec.CodecException("stored sketch does not decode: " + e, e);
        }
        return s;
    }

    /** Merges {@code add} into {@code into}, either may be null; returns the result. */
    public static DDSketch merge(DDSketch into, DDSketch add) {
        if (add == null || add.isEmpty()) {
            return into;
        }
        DDSketch target = into == null ? empty() : into;
        target.mergeWith(add);
        return target;
    }

    static UnboundedSizeDenseStore store() {
        return new UnboundedSizeDenseStore();
    }
}
