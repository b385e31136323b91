package io.linkprobe.common.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The push body survives JSON both ways, including the optional fields a real window leaves null. */
class WireRoundTripTest {

    @Test
    void batchWithEverySampleKindRoundTrips() throws Exception {
        LatencyWindow w = new LatencyWindow("hub", 1_000, 61_000, 300, 297, 2, 1, 0, 1,
                new LatencyWindow.RttSummary(9_800, 10_200, 11_000, 15_000, 16_000, 10_300),
                420.5, 300.0, 2_000.0, 13_200, 13_068, null, null, new int[] {9_800, 10_200, 16_000}, 3_000L);
        ThroughputResult t = new ThroughputResult("hub", 2_000, 12_000, "down", "ok", null, 1, 12_500_000, 10.0,
                1_250_000, 1_200_000, true, 100, List.of(125_000L, 125_000L),
                new ThroughputResult.TcpInfo(20_000L, 3, 40L, "bbr"),
                new ThroughputResult.LoadedLatency(20_000, 95_000, 120_000, 75_000, 631.6, "C", 200, 199));
        ConnectResult c = new ConnectResult("web", "198.18.0.2", 443, 3_000, false, null, "ConnectException: refused");
        AgentHealth h = new AgentHealth(4_000, 60, 0, 0, 0, 0, 1L, 3_000L, 0L, null);
        PushBatch batch = new PushBatch(new AgentIdentity("s1", "a1", "b1", "0.1.0", Map.of("region", "north"),
                new AgentIdentity.Contract(10e6, 2.5e6)), 42, List.of(w, t, c, h));

        String json = Json.mapper().writeValueAsString(batch);
        assertFalse(json.contains("forward_delay_micros_p50"), "nulls are left out");
        assertTrue(json.contains("\"type\":\"latency\""), json);
        assertTrue(json.contains("\"lost_forward\":2"), json);
        assertTrue(json.contains("\"timeout_millis\":3000"), json);
        assertTrue(json.contains("\"spool_recovered_total\":1"), json);

        PushBatch back = Json.mapper().readValue(json, PushBatch.class);
        assertEquals(42, back.sequence());
        assertEquals(batch.agent(), back.agent());
        assertEquals(w, back.samples().get(0));
        assertNull(((LatencyWindow) back.samples().get(0)).forwardDelayMicrosP50());
        assertEquals(t, back.samples().get(1));
        assertEquals(c, back.samples().get(2));
        assertEquals(h, back.samples().get(3));
    }

    /** An older agent's samples lack the optional fields: they read back as null, not as 0. */
    @Test
    void optionalFieldsAbsentFromAnOlderAgentReadAsNull() throws Exception {
        LatencyWindow w = (LatencyWindow) Json.mapper().readValue("{\"type\":\"latency\",\"target\":\"hub\","
                + "\"start_epoch_millis\":1,\"end_epoch_millis\":2,\"sent\":1,\"received\":1,\"lost_forward\":0,"
                + "\"lost_backward\":0,\"duplicates\":0,\"reordered\":0,\"jitter_micros\":0,\"bytes_sent\":44,"
                + "\"bytes_received\":44}", Sample.class);
        AgentHealth h = (AgentHealth) Json.mapper().readValue("{\"type\":\"health\",\"end_epoch_millis\":2,"
                + "\"uptime_seconds\":1,\"spool_bytes\":0,\"spool_pending\":0,\"spool_dropped_total\":0,"
                + "\"push_failures_total\":0}", Sample.class);
        assertNull(w.timeoutMillis());
        assertNull(h.spoolRecoveredTotal());
        assertNull(h.implausibleDroppedTotal());
    }

    @Test
    void eachKindIsWrittenUnderItsWireNameAndItsDispatchIsNotOnTheWire() throws Exception {
        AgentHealth h = new AgentHealth(4_000, 60, 0, 0, 0, 0);
        ConnectResult c = new ConnectResult("web", "198.18.0.2", 443, 3_000, true, 812.0, null);
        for (Sample s : List.<Sample>of(h, c)) {
            String json = Json.mapper().writerFor(Sample.class).writeValueAsString(s);
            assertTrue(json.startsWith("{\"type\":\"" + s.kind().wireName() + "\""), json);
            assertFalse(json.contains("\"kind\""), json);
            assertEquals(s.kind(), Sample.Kind.ofWireName(s.kind().wireName()));
        }
        assertFalse(Json.mapper().writeValueAsString(h).contains("target"), "health is about no target");
        assertTrue(Json.mapper().writeValueAsString(c).contains("\"target\":\"web\""));
        assertNull(h.target());
        assertEquals("web", c.target());
    }
}
