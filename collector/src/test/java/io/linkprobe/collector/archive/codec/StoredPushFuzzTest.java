package io.linkprobe.collector.archive.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.linkprobe.common.testing.fuzz.Fuzzing;
import io.linkprobe.common.testing.fuzz.Refusals;
import io.linkprobe.common.wire.Json;
import io.linkprobe.common.wire.PushBatch;
import io.linkprobe.common.wire.Sample;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A stored push as the archive reads it back ({@link PushCodec#decode}: the history API, the dump,
 * salvage after a crash). After a disk fault or a hand-edited database those bytes are anything, so
 * decoding may refuse only with {@link CodecException}, which the readers turn into a skipped,
 * counted row; never another exception, a hang or an allocation the bytes merely announce. What
 * decodes encodes again to bytes that decode to the same samples.
 *
 * <p>Input: the blob's bytes. {@link #everyTruncationAndFlipOfARealBlob} replays the same check on
 * a real blob (every sample kind) cut at every length and with every single bit flipped, so the
 * ordinary {@code mvn verify} covers the format, not only the fuzzer's own corpus.
 */
class StoredPushFuzzTest {

    @FuzzTest(maxDuration = Fuzzing.DURATION)
    void blob(byte[] bytes) {
        check(bytes);
    }

    @Test
    void everyTruncationAndFlipOfARealBlob() throws IOException {
        byte[] blob;
        try (InputStream in = StoredPushFuzzTest.class.getResourceAsStream(
                "/io/linkprobe/collector/ingest/PushFuzzTestInputs/push/every-sample-kind")) {
            PushBatch batch = Json.mapper().readValue(in.readAllBytes(), PushBatch.class);
            blob = PushCodec.encode(batch.samples());
            if (PushCodec.decode(blob).size() != batch.samples().size() || batch.samples().isEmpty()) {
                throw new AssertionError("the seed push does not round-trip");
            }
        }
        for (int length = 0; length <= blob.length; length++) {
            check(Arrays.copyOf(blob, length));
        }
        for (int bit = 0; bit < blob.length * 8; bit++) {
            byte[] flipped = blob.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            check(flipped);
        }
    }

    private static void check(byte[] bytes) {
        @SuppressWarnings({"unchecked", "rawtypes"})
        List<Sample>[] read = new List[1];
        if (!Refusals.accepted(() -> read[0] = PushCodec.decode(bytes), CodecException.class)) {
            return;
        }
        List<Sample> again = PushCodec.decode(PushCodec.encode(read[0]));
        if (!again.equals(read[0])) {
            throw new AssertionError("a decoded push does not survive encoding: " + read[0] + " became " + again);
        }
    }
}
