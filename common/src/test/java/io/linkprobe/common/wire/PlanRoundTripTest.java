package io.linkprobe.common.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The plan contract between collector and agent: the documented JSON is exactly what the records read and write. */
class PlanRoundTripTest {
    /** The example of {@link Plan}'s Javadoc, verbatim. */
    static final String EXAMPLE = """
            {
              "site": "gp-leeds-0042",
              "version": "3f1c9a0b7d2e4c55",
              "labels": {"region": "yorkshire", "link": "copper"},
              "expected": {"down_mbps": 20.0, "up_mbps": 2.0},
              "targets": [
                {"name": "hub-sw", "host": "linkprobe-sw.example.net", "stamp_port": 862, "throughput_port": 0, "connect_port": 0}
              ],
              "window_millis": 60000,
              "latency": {"interval_millis": 200, "schedule": "poisson", "packet_size": 44, "timeout_millis": 3000},
              "throughput": {
                "enabled": true, "every_millis": 28800000, "offset_millis": 10305000, "duration_millis": 8000,
                "direction": "down", "streams": 1, "max_bytes_per_test": 0, "max_bytes_per_day": 0, "slot_millis": 15000,
                "responder": {"name": "hub-sw", "host": "linkprobe-sw.example.net", "stamp_port": 862, "throughput_port": 9863},
                "stretch": 1.0
              },
              "video": {
                "enabled": true, "every_millis": 14400000, "offset_millis": 5120000, "duration_millis": 20000,
                "step_duration_millis": 5000, "rate_kbps": 1200, "packet_size": 1200, "max_calls": 8, "dscp": "BE",
                "max_bytes_per_day": 0, "slot_millis": 60000,
                "responder": {"name": "hub-sw", "host": "linkprobe-sw.example.net", "stamp_port": 862, "throughput_port": 9863},
                "stretch": 1.0
              }
            }
            """;

    static Plan example() {
        Plan.Responder hub = new Plan.Responder("hub-sw", "linkprobe-sw.example.net", 862, 9863);
        return new Plan("gp-leeds-0042", "3f1c9a0b7d2e4c55", Map.of("region", "yorkshire", "link", "copper"),
                new Plan.Expected(20, 2), List.of(new Plan.Target("hub-sw", "linkprobe-sw.example.net", 862, 0, 0)),
                60_000, new Plan.Latency(200, "poisson", 44, 3_000),
                new Plan.Throughput(true, 28_800_000, 10_305_000, 8_000, "down", 1, 0, 0, 15_000L, hub, 1.0),
                new Plan.Video(true, 14_400_000, 5_120_000, 20_000, 5_000, 1200, 1200, 8, "BE", 0, 60_000, hub, 1.0));
    }

    @Test
    void theDocumentedExampleReadsAsThePlanAndThePlanWritesAsTheExample() throws Exception {
        Plan read = Json.mapper().readValue(EXAMPLE, Plan.class);
        assertEquals(example(), read);

        JsonNode written = Json.mapper().readTree(Json.mapper().writeValueAsString(example()));
        assertEquals(Json.mapper().readTree(EXAMPLE), written);
    }

    @Test
    void aPlanWithoutThroughputTestsHasNoResponderAndKeepsItsOtherFields() throws Exception {
        Plan off = new Plan("s1", "v1", null, null, null, 60_000, new Plan.Latency(200, "periodic", 44, 3_000),
                new Plan.Throughput(false, 14_400_000, 0, 10_000, "both", 1, 0, 0, 0L, null, 1.0),
                new Plan.Video(false, 14_400_000, 0, 20_000, 5_000, 1200, 1200, 8, "EF", 0, 60_000, null, 1.0));
        String json = Json.mapper().writeValueAsString(off);
        Plan back = Json.mapper().readValue(json, Plan.class);

        assertEquals(off, back);
        assertNull(back.throughput().responder());
        assertNull(back.video().responder());
        assertEquals(Plan.Expected.NONE, back.expected());
        assertTrue(back.targets().isEmpty() && back.labels().isEmpty());
    }

    @Test
    void aNewerCollectorsExtraBlocksAreIgnoredByAnOlderAgent() throws Exception {
        String newer = EXAMPLE.replaceFirst("\"window_millis\"",
                "\"dns\": {\"enabled\": true, \"every_millis\": 86400000}, \"window_millis\"");
        assertEquals(example(), Json.mapper().readValue(newer, Plan.class));
    }

    @Test
    void anOlderCollectorsPlanWithoutVideoReadsWithNoVideoBlock() throws Exception {
        String older = EXAMPLE.substring(0, EXAMPLE.indexOf(",\n  \"video\"")) + "\n}\n";
        Plan read = Json.mapper().readValue(older, Plan.class);
        assertNull(read.video(), "the agent then schedules video tests from agent.yml");
        assertEquals(example().throughput(), read.throughput());
    }

    @Test
    void anOlderCollectorsThroughputBlockWithoutASlotLengthReadsAsNotStated() throws Exception {
        String older = EXAMPLE.replace(" \"slot_millis\": 15000,", "");
        Plan read = Json.mapper().readValue(older, Plan.class);
        assertEquals(0L, read.throughput().slotMillis(), "the agent then runs each test's full duration");
    }

    @Test
    void enabledVideoTestsNeedAResponderWithAStampPort() {
        String noStamp = EXAMPLE.replaceFirst("(\"video\": \\{[^}]*\"responder\": \\{[^}]*\"stamp_port\": )862", "$10");
        ValueInstantiationException e = assertThrows(ValueInstantiationException.class,
                () -> Json.mapper().readValue(noStamp, Plan.class));
        assertEquals("unusable plan: enabled video tests need a responder with a stamp_port", e.getCause().getMessage());
    }

    @Test
    void anUnusablePlanIsRefusedWithItsReason() {
        String noResponder = EXAMPLE.replaceFirst("\"responder\": \\{[^}]*},", "");
        ValueInstantiationException e = assertThrows(ValueInstantiationException.class,
                () -> Json.mapper().readValue(noResponder, Plan.class));
        assertTrue(e.getCause().getMessage().equals("unusable plan: enabled throughput tests need a responder"),
                e.getCause().getMessage());

        String offsetPastPeriod = EXAMPLE.replace("\"offset_millis\": 10305000", "\"offset_millis\": 28800000");
        e = assertThrows(ValueInstantiationException.class, () -> Json.mapper().readValue(offsetPastPeriod, Plan.class));
        assertEquals("unusable plan: throughput.offset_millis must be at least 0 and less than every_millis",
                e.getCause().getMessage());
    }

    @Test
    void slotsAreAnchoredToTheEpoch() {
        Plan.Throughput t = example().throughput();
        long period = t.everyMillis();
        long slot = 1_700_000_000_000L - Math.floorMod(1_700_000_000_000L - t.offsetMillis(), period);

        assertEquals(0, Math.floorMod(slot - t.offsetMillis(), period));
        assertEquals(slot, t.nextStartAtOrAfter(slot), "a slot start is its own next start");
        assertEquals(slot + period, t.nextStartAtOrAfter(slot + 1));
        assertEquals(slot + period, t.nextStartAtOrAfter(slot + period - 1));
        assertEquals(t.offsetMillis(), t.nextStartAtOrAfter(0));
    }
}
