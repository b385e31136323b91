package io.linkprobe.common.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each rule of {@link Plausibility} on its own: a consistent sample passes, and changing one field
 * to an impossible value is refused naming that field. (Real agent output is checked against the
 * same rules by the loopback tests of the STAMP sender and the throughput client, and by the
 * agent's own tests.)
 */
class PlausibilityTest {
    static final long NOW = 1_800_000_000_000L;
    static final Plausibility.TimeRange COLLECTOR = Plausibility.TimeRange.collector(NOW, Duration.ofDays(30));

    static LatencyWindow window(long sent, long received, long lostForward, long lostBackward, long duplicates,
            LatencyWindow.RttSummary rtt, int[] raw, Long timeoutMillis) {
        return new LatencyWindow("hub", NOW - 60_000, NOW - 1_000, sent, received, lostForward, lostBackward,
                duplicates, 0, rtt, 300.0, 150.0, 900.0, 44 * sent, 44 * received, null, null, raw, timeoutMillis);
    }

    static final LatencyWindow.RttSummary RTT = new LatencyWindow.RttSummary(9_000, 10_000, 12_000, 15_000, 16_000, 10_500);
    static final LatencyWindow GOOD_WINDOW = window(24, 23, 1, 0, 0, RTT, new int[] {9_000, 10_000, 16_000}, 3_000L);

    static ThroughputResult throughput(long bytes, double seconds, double steady, double mean,
            ThroughputResult.LoadedLatency loaded) {
        return new ThroughputResult("hub", NOW - 20_000, NOW - 9_000, "down", "ok", null, 1, bytes, seconds, steady,
                mean, true, 100, List.of(1_000_000L, 1_250_000L), new ThroughputResult.TcpInfo(9_000L, 3, 40L, "cubic"),
                loaded);
    }

    static final ThroughputResult.LoadedLatency LOADED =
            new ThroughputResult.LoadedLatency(9_000, 49_000, 80_000, 40_000, 1_224, "B", 200, 199);
    static final ThroughputResult GOOD_THROUGHPUT = throughput(12_500_000, 10.0, 1_300_000, 1_250_000, LOADED);

    @Test
    void consistentSamplesOfEveryKindPass() {
        for (Sample s : List.of(GOOD_WINDOW, GOOD_THROUGHPUT,
                new ConnectResult("web", "198.18.0.1", 443, NOW, true, 812.0, null),
                new ConnectResult("web", "198.18.0.1", 443, NOW, false, null, "ConnectException: refused"),
                new AgentHealth(NOW, 60, 4_096, 3, 0, 2, 1L, NOW - 60_000, 0L, null),
                window(24, 0, 24, 0, 0, null, new int[0], 3_000L),
                throughput(0, 0, 0, 0, null))) {
            assertNull(Plausibility.check(s, COLLECTOR), s.toString());
        }
    }

    /** The three pushes issue 7 saw stored: each is refused, naming the field. */
    @Test
    void theImpossibleValuesSeenStoredAreRefused() {
        assertEquals("lost_forward", Plausibility.check(window(24, 24, 1_000_000_000_000L, 0, 0, RTT, null, null),
                COLLECTOR).field());
        assertEquals("received", Plausibility.check(window(24, 24_000, 0, 0, 0, RTT, null, null), COLLECTOR).field());
        Plausibility.Problem rtt = Plausibility.check(window(24, 24, 0, 0, 0,
                new LatencyWindow.RttSummary(9_000, 10_000, 12_000, 15_000, 1e308, 10_500), null, null), COLLECTOR);
        assertEquals("rtt.max", rtt.field());
        assertTrue(rtt.message().contains("60 s"), rtt.message());
    }

    static Stream<Arguments> implausibleWindows() {
        LatencyWindow.RttSummary unordered = new LatencyWindow.RttSummary(9_000, 12_500, 12_000, 15_000, 16_000, 10_500);
        LatencyWindow.RttSummary meanOutside = new LatencyWindow.RttSummary(9_000, 10_000, 12_000, 15_000, 16_000, 17_000);
        LatencyWindow.RttSummary beyondTimeout = new LatencyWindow.RttSummary(9_000, 10_000, 12_000, 15_000, 3_000_001, 10_500);
        return Stream.of(
                Arguments.of("lost_forward", window(24, 20, 30, 0, 0, RTT, null, null)),
                Arguments.of("lost_backward", window(24, 20, 0, 30, 0, RTT, null, null)),
                Arguments.of("lost_forward", window(24, 0, 13, 13, 0, null, null, null)),
                Arguments.of("received", window(24, 25, 0, 0, 0, RTT, null, null)),
                Arguments.of("received", window(24, 24, 2, 0, 0, RTT, null, null)),
                Arguments.of("sent", window(-1, 0, 0, 0, 0, null, null, null)),
                Arguments.of("rtt.p90", window(24, 24, 0, 0, 0, unordered, null, null)),
                Arguments.of("rtt.mean", window(24, 24, 0, 0, 0, meanOutside, null, null)),
                Arguments.of("rtt.max", window(24, 24, 0, 0, 0, beyondTimeout, null, 3_000L)),
                Arguments.of("rtt", window(24, 0, 24, 0, 0, RTT, null, null)),
                Arguments.of("rtt", window(24, 24, 0, 0, 0, null, null, null)),
                Arguments.of("rtt_micros", window(3, 2, 1, 0, 0, RTT, new int[] {9_000, 9_500, 10_000}, null)),
                Arguments.of("rtt_micros[1]", window(3, 3, 0, 0, 0, RTT, new int[] {9_000, 3_000_001, 10_000}, 3_000L)),
                Arguments.of("rtt_micros[0]", window(3, 3, 0, 0, 0, RTT, new int[] {-1}, 3_000L)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implausibleWindows")
    void implausibleWindowsAreRefusedNamingTheField(String field, LatencyWindow w) {
        Plausibility.Problem p = Plausibility.check(w, COLLECTOR);
        assertNotNull(p, field);
        assertEquals(field, p.field(), p.toString());
    }

    static Stream<Arguments> implausibleThroughput() {
        return Stream.of(
                Arguments.of("steady_bytes_per_second", throughput(12_500_000, 10.0, 1e308, 1_250_000, LOADED)),
                Arguments.of("steady_bytes_per_second", throughput(12_500_000, 10.0, 60e9, 1_250_000, LOADED)),
                // 1 Gbit/s "steady" from a test that moved 1 MB in all: more than the bytes allow in 100 ms
                Arguments.of("steady_bytes_per_second", throughput(1_000_000, 8.0, 125e6, 125_000, LOADED)),
                Arguments.of("mean_bytes_per_second", throughput(12_500_000, 10.0, 1_300_000, 5_000_000, LOADED)),
                Arguments.of("mean_bytes_per_second", throughput(0, 0, 0, 5_000_000, null)),
                Arguments.of("seconds", throughput(12_500_000, 500.0, 25_000, 25_000, LOADED)),
                Arguments.of("seconds", throughput(12_500_000, 20.0, 625_000, 625_000, LOADED)),
                Arguments.of("bytes", throughput(-5, 10.0, 0, 0, null)),
                Arguments.of("loaded.probes_received", throughput(12_500_000, 10.0, 1_300_000, 1_250_000,
                        new ThroughputResult.LoadedLatency(9_000, 49_000, 80_000, 40_000, 1_224, "B", 200, 2_000))),
                Arguments.of("loaded.loaded_rtt_p90_micros", throughput(12_500_000, 10.0, 1_300_000, 1_250_000,
                        new ThroughputResult.LoadedLatency(9_000, 49_000, 30_000, 40_000, 1_224, "B", 200, 199))),
                Arguments.of("loaded.loaded_rtt_p50_micros", throughput(12_500_000, 10.0, 1_300_000, 1_250_000,
                        new ThroughputResult.LoadedLatency(9_000, 1e12, 2e12, 40_000, 1_224, "B", 200, 199))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implausibleThroughput")
    void implausibleThroughputIsRefusedNamingTheField(String field, ThroughputResult r) {
        Plausibility.Problem p = Plausibility.check(r, COLLECTOR);
        assertNotNull(p, field);
        assertEquals(field, p.field(), p.toString());
    }

    @Test
    void connectAndHealthRules() {
        assertEquals("connect_micros", Plausibility.check(
                new ConnectResult("web", "h", 443, NOW, true, null, null), COLLECTOR).field());
        assertEquals("connect_micros", Plausibility.check(
                new ConnectResult("web", "h", 443, NOW, true, Double.NaN, null), COLLECTOR).field());
        assertEquals("port", Plausibility.check(
                new ConnectResult("web", "h", 70_000, NOW, true, 5.0, null), COLLECTOR).field());
        assertEquals("spool_pending", Plausibility.check(new AgentHealth(NOW, 60, 0, -3, 0, 0), COLLECTOR).field());
        assertEquals("spool_recovered_total", Plausibility.check(
                new AgentHealth(NOW, 60, 0, 0, 0, 0, -1L, null, null, null), COLLECTOR).field());
        assertEquals("spool_recovered_at_millis", Plausibility.check(
                new AgentHealth(NOW, 60, 0, 0, 0, 0, 1L, NOW + 60_000, null, null), COLLECTOR).field());
    }

    @Test
    void timesOutsideTheRetentionOrBeyondTheSkewAllowanceAreRefused() {
        AgentHealth tooOld = new AgentHealth(NOW - Duration.ofDays(31).toMillis(), 60, 0, 0, 0, 0);
        AgentHealth future = new AgentHealth(NOW + Plausibility.MAX_CLOCK_SKEW_MILLIS + 1, 60, 0, 0, 0, 0);
        AgentHealth slightlyAhead = new AgentHealth(NOW + 60_000, 60, 0, 0, 0, 0);
        AgentHealth unsetClock = new AgentHealth(86_400_000L, 60, 0, 0, 0, 0);

        assertEquals("end_epoch_millis", Plausibility.check(tooOld, COLLECTOR).field());
        assertEquals("end_epoch_millis", Plausibility.check(future, COLLECTOR).field());
        assertEquals("end_epoch_millis", Plausibility.check(unsetClock, COLLECTOR).field());
        assertNull(Plausibility.check(slightlyAhead, COLLECTOR), "within the clock-skew allowance");
        assertNull(Plausibility.check(tooOld, Plausibility.TimeRange.agent(NOW)), "the agent knows no retention");
        LatencyWindow backwards = new LatencyWindow("hub", NOW - 1_000, NOW - 2_000, 1, 1, 0, 0, 0, 0,
                new LatencyWindow.RttSummary(1, 1, 1, 1, 1, 1), 0, null, null, 44, 44, null, null, new int[] {1});
        assertEquals("start_epoch_millis", Plausibility.check(backwards, COLLECTOR).field());
    }
}
