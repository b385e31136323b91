package io.linkprobe.collector.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.linkprobe.common.testing.Samples;
import io.linkprobe.common.wire.AgentHealth;
import io.linkprobe.common.wire.Json;
import io.linkprobe.common.wire.LatencyWindow;
import io.linkprobe.common.wire.Sample;
import io.linkprobe.common.wire.ThroughputResult;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class JsonTemplateTest {
    private static final long END = 1_795_000_000_000L;

    @Test
    void latencyWindowTemplateWritesWhatJacksonWrites() throws Exception {
        LinkModel link = LinkModel.draw(new SplittableRandom(7));
        LatencyWindow sentinel = link.window(new SplittableRandom(8), JsonTemplate.TARGET, JsonTemplate.END);
        LatencyWindow real = link.window(new SplittableRandom(8), "hub-dr", END);
        LatencyWindow sentinelWithStart = new LatencyWindow(sentinel.target(), JsonTemplate.START,
                sentinel.endEpochMillis(), sentinel.sent(), sentinel.received(), sentinel.lostForward(),
                sentinel.lostBackward(), sentinel.duplicates(), sentinel.reordered(), sentinel.rtt(),
                sentinel.jitterMicros(), sentinel.ipdvP50Micros(), sentinel.ipdvP99Micros(), sentinel.bytesSent(),
                sentinel.bytesReceived(), null, null, sentinel.rttMicros());

        assertEquals(jackson(real), written(JsonTemplate.of(sentinelWithStart), "hub-dr", END - 60_000, END));
    }

    @Test
    void throughputAndHealthTemplatesWriteWhatJacksonWrites() throws Exception {
        ThroughputResult sentinel = Samples.throughput(JsonTemplate.TARGET, JsonTemplate.END, "up", 2.5e6);
        ThroughputResult real = Samples.throughput("hub", END, "up", 2.5e6);
        // Samples.throughput starts 10 s before the end; the template's start is its own sentinel.
        ThroughputResult sentinelWithStart = new ThroughputResult(sentinel.target(), JsonTemplate.START,
                sentinel.endEpochMillis(), sentinel.direction(), sentinel.result(), sentinel.message(),
                sentinel.streams(), sentinel.bytes(), sentinel.seconds(), sentinel.steadyBytesPerSecond(),
                sentinel.meanBytesPerSecond(), sentinel.stable(), sentinel.intervalMillis(), sentinel.intervalBytes(),
                sentinel.tcp(), sentinel.loaded());
        assertEquals(jackson(real), written(JsonTemplate.of(sentinelWithStart), "hub", END - 10_000, END));

        AgentHealth health = new AgentHealth(END, 86_400, 48_000, 0, 0, 3);
        assertEquals(jackson(health), written(JsonTemplate.of(new AgentHealth(JsonTemplate.END, 86_400, 48_000, 0, 0, 3)),
                null, 0, END));
    }

    private static String jackson(Sample sample) throws Exception {
        return Json.mapper().writerFor(Sample.class).writeValueAsString(sample);
    }

    private static String written(JsonTemplate template, String target, long start, long end) {
        Bytes out = new Bytes(64);
        template.write(out, target, start, end);
        return new String(out.toArray(), StandardCharsets.UTF_8);
    }
}
