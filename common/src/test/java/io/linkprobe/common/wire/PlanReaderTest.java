package io.linkprobe.common.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Whatever the bytes, the plan reader answers a plan or one line saying why not. */
class PlanReaderTest {
    private static final String EXAMPLE = PlanRoundTripTest.EXAMPLE;

    private static String reason(String json) {
        return assertThrows(UnusablePlanException.class,
                () -> PlanReader.read(json.getBytes(StandardCharsets.UTF_8))).getMessage();
    }

    @Test
    void theDocumentedExampleIsAPlan() throws Exception {
        assertEquals(PlanRoundTripTest.example(), PlanReader.read(EXAMPLE.getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', value = {
        // replace | with | gives
        "\"offset_millis\": 10305000|\"offset_millis\": 28800000|unusable plan: throughput.offset_millis must be at least 0 and less than every_millis",
        "\"schedule\": \"poisson\"|\"schedule\": \"bursty\"|unusable plan: latency.schedule must be poisson or periodic",
        "\"window_millis\": 60000,|\"window_millis\": 999,|unusable plan: window_millis must be at least 1000",
        "\"every_millis\": 28800000,||unusable plan: not plan JSON (throughput.every_millis: Cannot map `null` into type `long`)",
        "\"version\": \"3f1c9a0b7d2e4c55\",||unusable plan: version is missing",
        "\"3f1c9a0b7d2e4c55\"|\"3f1c\\r\\nX-Evil: 1\"|unusable plan: version '3f1c??X-Evil: 1' may hold only letters, digits and . _ - (starting with a letter or digit)",
        "\"site\": \"gp-leeds-0042\"|\"site\": \"\"|unusable plan: site is missing",
        "\"stamp_port\": 862, \"throughput_port\": 0|\"stamp_port\": 70000, \"throughput_port\": 0|unusable plan: target 'hub-sw' has a port outside 0-65535",
        "{\"name\": \"hub-sw\", \"host\": \"linkprobe-sw.example.net\", \"stamp_port\": 862, \"throughput_port\": 0, \"connect_port\": 0}|null|unusable plan: a list or map in it holds null",
        "\"link\": \"copper\"|\"link\": null|unusable plan: a list or map in it holds null",
    })
    void anUnusablePlanSaysWhy(String replace, String with, String reason) {
        String json = EXAMPLE.replace(replace, with == null ? "" : with);
        assertEquals(reason, reason(json));
    }

    @Test
    void bytesThatAreNoPlanSayWhatTheyAre() {
        assertEquals("unusable plan: the body is JSON null, not a plan", reason("null"));
        assertEquals("unusable plan: not plan JSON (No content to map due to end-of-input)", reason(""));
        assertEquals("unusable plan: not plan JSON (Cannot deserialize value of type `io.linkprobe.common.wire.Plan` "
                + "from Array value (token `JsonToken.START_ARRAY`))", reason("[1, 2]"));
        String tooBig = "{\"site\": \"" + "x".repeat(PlanReader.MAX_BYTES) + "\"}";
        assertEquals("unusable plan: " + tooBig.length() + " bytes is more than a plan can be (262144)", reason(tooBig));
    }

    @Test
    void aTruncatedPlanIsNotPlanJson() {
        String cut = EXAMPLE.substring(0, EXAMPLE.length() / 2);
        String reason = reason(cut);
        assertEquals("unusable plan: not plan JSON (", reason.substring(0, "unusable plan: not plan JSON (".length()), reason);
    }
}
