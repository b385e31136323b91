package io.linkprobe.common.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.common.testing.Samples;
import org.junit.jupiter.api.Test;

class VideoResultJsonTest {

    @Test
    void aVideoResultRoundTripsAsSampleTypeVideo() throws Exception {
        VideoResult v = Samples.video("hub", 1_800_000_000_000L, "marginal", 6, 0.4, 0.1, 3_000);
        String json = Json.mapper().writerFor(Sample.class).writeValueAsString(v);
        assertTrue(json.startsWith("{\"type\":\"video\""), json);
        assertTrue(json.contains("\"calls_limit\":\"verdict\"") && json.contains("\"delay_variation_micros\""), json);
        Sample back = Json.mapper().readValue(json, Sample.class);
        assertEquals(v, back);
        assertEquals(Sample.Kind.VIDEO, back.kind());
        assertEquals(Sample.Kind.VIDEO, Sample.Kind.ofWireName("video"));
    }

    @Test
    void theVerdictsGaugeValuesOrderWorstFirst() {
        assertEquals(0, VideoResult.Verdict.NOT_READY.gaugeValue());
        assertEquals(1, VideoResult.Verdict.MARGINAL.gaugeValue());
        assertEquals(2, VideoResult.Verdict.READY.gaugeValue());
        assertEquals(VideoResult.Verdict.MARGINAL, VideoResult.Verdict.ofWireName("marginal"));
    }
}
