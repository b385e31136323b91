package io.linkprobe.collector.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.collector.config.Limits;
import io.linkprobe.collector.ingest.PushValidator;
import io.linkprobe.common.wire.Json;
import io.linkprobe.common.wire.LatencyWindow;
import io.linkprobe.common.wire.PushBatch;
import io.linkprobe.common.wire.Sample;
import io.linkprobe.common.wire.ThroughputResult;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class PushBodiesTest {
    private final PushBodies bodies = new PushBodies(4);
    private final Roster.Entry site = new Roster.Entry(17, "site-00017", "token");

    @Test
    void assembledBodyIsTheGzipOfWhatJacksonWritesAndTheCollectorAccepts() throws Exception {
        long now = System.currentTimeMillis();
        PushBodies.Push push = bodies.builder(PushBodies.prefix(bodies.identity(site)), 42, site.index())
                .window(new SplittableRandom(1), "hub", now)
                .window(new SplittableRandom(2), "hub-dr", now)
                .throughput("hub", 1, now)
                .health(now)
                .finish();

        byte[] plain = gunzip(push.gzipped());
        assertEquals(push.plainBytes(), plain.length);
        PushBatch batch = Json.mapper().readValue(plain, PushBatch.class);
        new PushValidator(Limits.DEFAULT, java.time.Duration.ofDays(30)).validate(batch, now);
        assertEquals(new String(Json.mapper().writeValueAsBytes(batch)), new String(plain));

        assertEquals("site-00017", batch.agent().site());
        assertEquals(42, batch.sequence());
        assertEquals(4, push.samples());
        assertEquals(batch.samples().size(), push.samples());
        int rtts = batch.samples().stream().filter(s -> s.kind() == Sample.Kind.LATENCY)
                .map(LatencyWindow.class::cast).mapToInt(w -> w.rttMicros().length).sum();
        assertEquals(2, push.windows());
        assertEquals(rtts, push.rttValues());
        assertTrue(rtts > 500, "two windows of ~300 probes each, got " + rtts);
        ThroughputResult test = (ThroughputResult) batch.samples().get(2);
        assertEquals("up", test.direction());
        assertEquals(now - 10_000, test.startEpochMillis());
    }

    @Test
    void windowsDoNotRepeatWithinAPushSoGzipSeesRealisticBodies() throws Exception {
        long now = System.currentTimeMillis();
        PushBodies.Builder builder = bodies.builder(PushBodies.prefix(bodies.identity(site)), 1, site.index());
        for (int i = 0; i < PushBodies.WINDOWS_PER_ARCHETYPE; i++) {
            builder.window(new SplittableRandom(i), "hub", now - i * 60_000L);
        }
        PushBatch batch = Json.mapper().readValue(gunzip(builder.health(now).finish().gzipped()), PushBatch.class);
        Set<String> distinct = new HashSet<>();
        batch.samples().stream().filter(s -> s.kind() == Sample.Kind.LATENCY).map(LatencyWindow.class::cast)
                .forEach(w -> distinct.add(Arrays.toString(w.rttMicros())));
        assertEquals(PushBodies.WINDOWS_PER_ARCHETYPE, distinct.size());
    }

    private static byte[] gunzip(byte[] gz) throws Exception {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }
}
