package io.linkprobe.collector.archive.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.common.testing.Samples;
import io.linkprobe.common.wire.AgentHealth;
import io.linkprobe.common.wire.ConnectResult;
import io.linkprobe.common.wire.Json;
import io.linkprobe.common.wire.LatencyWindow;
import io.linkprobe.common.wire.Sample;
import io.linkprobe.common.wire.ThroughputResult;
import io.linkprobe.common.wire.VideoResult;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Stored pushes read back exactly as the wire model wrote them, and the stored layout is pinned. */
class PushCodecTest {

    @Test
    void randomPushesReadBackAsTheirJson() throws Exception {
        Random random = new Random(11);
        for (int round = 0; round < 300; round++) {
            List<Sample> samples = new ArrayList<>();
            long t = 1_700_000_000_000L + random.nextInt(1_000_000);
            for (int i = 0; i < random.nextInt(12); i++) {
                switch (random.nextInt(4)) {
                    case 0 -> samples.add(window(random, t + random.nextInt(120_000) - 60_000));
                    case 1 -> samples.add(random.nextBoolean()
                            ? Samples.connect("t" + random.nextInt(3), t - random.nextInt(60_000), random.nextDouble() * 1e5)
                            : new ConnectResult("hub", "198.18.0." + random.nextInt(9), 443, t, false, null,
                                    "connection refused"));
                    case 2 -> samples.add(Samples.throughput("hub", t, random.nextBoolean() ? "down" : "up",
                            random.nextDouble() * 1e8));
                    default -> samples.add(new AgentHealth(t, random.nextInt(1 << 20), random.nextLong() >>> 20,
                            random.nextInt(100), 0, random.nextInt(5)));
                }
            }
            List<Sample> back = PushCodec.decode(PushCodec.encode(samples));
            assertEquals(json(samples), json(back), "round " + round);
        }
    }

    @Test
    void videoResultsReadBackAsTheirJsonWithAndWithoutTheirFigures() throws Exception {
        long end = 1_700_000_000_000L;
        VideoResult unreachable = new VideoResult("hub", end - 30_000, end, "unreachable", "no STAMP replies from h:862",
                null, List.of(), null, 0, null, 1200, 1200, 0, null, null, 0, null, null, null, null, null, 3_000_000,
                List.of());
        List<Sample> samples = List.of(Samples.video("hub", end, "marginal", 6, 0.4, 0.2, 3_500), unreachable,
                Samples.video("b", end + 5, "not_ready", 0, 2.5, 0.1, 12_000));
        for (int i = 0; i < samples.size(); i++) {
            List<Sample> one = List.of(samples.get(i));
            assertEquals(json(one), json(PushCodec.decode(PushCodec.encode(one))), "sample " + i);
        }
        assertEquals(json(samples), json(PushCodec.decode(PushCodec.encode(samples))));
        // An empty list as the push's last bytes: its stored size + 1 is 1 with no bytes left.
        byte[] stored = PushCodec.encode(List.of(unreachable));
        assertEquals(1, stored[stored.length - 1], "the empty ladder ends the push");
        // A list claiming more elements than bytes left is damage, not an allocation.
        byte[] damaged = stored.clone();
        damaged[damaged.length - 1] = 3;
        assertThrows(CodecException.class, () -> PushCodec.decode(damaged));
    }

    @Test
    void rawRttsKeepTheirValuesAndOrderIncludingOutliersAndEdges() {
        int[][] cases = {{}, {0}, {5, 5, 5}, {8_000, 80_000_000, 8_001, 9_000}, {Integer.MAX_VALUE, 0, 1},
                {3, 2, 1, 0}};
        for (int[] rtts : cases) {
            LatencyWindow w = Samples.window("hub", 1_000_000, rtts, 0, 0);
            LatencyWindow back = (LatencyWindow) PushCodec.decode(PushCodec.encode(List.of(w))).get(0);
            assertArrayEquals(rtts, back.rttMicros(), Arrays.toString(rtts));
        }
    }

    @Test
    void aWindowOf300RttsTakesAThirdOfItsJson() throws Exception {
        LatencyWindow w = window(new Random(3), 1_000_000);
        int stored = PushCodec.encode(List.of(w)).length;
        int json = Json.mapper().writeValueAsBytes(w).length;
        assertTrue(stored * 3 < json, "stored " + stored + " B, JSON " + json + " B");
    }

    @Test
    void damagedBytesAreACodecExceptionNotGarbage() {
        byte[] good = PushCodec.encode(List.of(window(new Random(5), 1_000_000), Samples.connect("hub", 1, 2.0)));
        assertThrows(CodecException.class, () -> PushCodec.decode(Arrays.copyOf(good, good.length - 3)));
        byte[] longer = Arrays.copyOf(good, good.length + 1);
        assertThrows(CodecException.class, () -> PushCodec.decode(longer));
        byte[] version = good.clone();
        version[0] = 9;
        assertThrows(CodecException.class, () -> PushCodec.decode(version));
        // A varint of 10 bytes reads as a negative long: an array length or a string index, never.
        byte[] negative = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
                (byte) 0xff, (byte) 0xff, 0x01, 0, 0, 0};
        assertThrows(CodecException.class, () -> RiceInts.read(new ByteSource(negative)));
        assertThrows(CodecException.class, () -> new RecordCodec.Context(0).readString(new ByteSource(negative)));
    }

    /**
     * Components are stored by position: archives written now must read the same after a change to
     * a wire record. Adding a component at the end is fine (update the list); reordering or removing
     * one is not.
     */
    @Test
    void storedRecordLayoutsArePinned() {
        assertEquals("target,startEpochMillis,endEpochMillis,sent,received,lostForward,lostBackward,duplicates,"
                + "reordered,rtt,jitterMicros,ipdvP50Micros,ipdvP99Micros,bytesSent,bytesReceived,"
                + "forwardDelayMicrosP50,backwardDelayMicrosP50,rttMicros,timeoutMillis", components(LatencyWindow.class));
        assertEquals("target,host,port,endEpochMillis,success,connectMicros,error", components(ConnectResult.class));
        assertEquals("endEpochMillis,uptimeSeconds,spoolBytes,spoolPending,spoolDroppedTotal,pushFailuresTotal,"
                + "spoolRecoveredTotal,spoolRecoveredAtMillis,implausibleDroppedTotal,planVersion",
                components(AgentHealth.class));
        assertEquals("target,startEpochMillis,endEpochMillis,direction,result,message,streams,bytes,seconds,"
                + "steadyBytesPerSecond,meanBytesPerSecond,stable,intervalMillis,intervalBytes,tcp,loaded",
                components(ThroughputResult.class));
        assertEquals("target,startEpochMillis,endEpochMillis,result,message,verdict,failed,reason,calls,callsLimit,"
                + "rateKbps,packetSize,dscp,replyDscp,timestamps,seconds,mos,rttP50Micros,rttP95Micros,up,down,bytes,"
                + "ladder", components(VideoResult.class));
        assertEquals("packets,lost,lossPercent,longestBurst,late,burstRatio,jitterMicros,delayVariationMicros,reordered,"
                + "deliveredBytesPerSecond,mos", components(VideoResult.Direction.class));
        assertEquals("calls,verdict,failed,seconds,mos,lossPercent,jitterMicros,rttP95Micros,bytes",
                components(VideoResult.Step.class));
    }

    static String components(Class<? extends Record> type) {
        return Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).collect(Collectors.joining(","));
    }

    static String json(List<Sample> samples) throws Exception {
        return Json.mapper().writeValueAsString(samples);
    }

    static LatencyWindow window(Random random, long end) {
        int[] rtts = new int[random.nextInt(301)];
        for (int i = 0; i < rtts.length; i++) {
            rtts[i] = 8_000 + (int) (-400 * Math.log(1 - random.nextDouble())) + (random.nextInt(100) == 0 ? 50_000 : 0);
        }
        return Samples.window("hub", end, rtts, random.nextInt(3), random.nextInt(2));
    }
}
