package io.linkprobe.collector.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.linkprobe.common.throughput.measurement.BufferbloatGrade;
import io.linkprobe.common.wire.AgentHealth;
import io.linkprobe.common.wire.AgentIdentity;
import io.linkprobe.common.wire.Json;
import io.linkprobe.common.wire.LatencyWindow;
import io.linkprobe.common.wire.ThroughputResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Builds gzipped {@code PushBatch} bodies from pre-serialised parts: per agent the identity, per
 * link archetype a handful of realistic windows and throughput results ({@link JsonTemplate}s).
 * Assembling a push is copying bytes and writing a few numbers; only the gzip costs CPU.
 *
 * <p>Sites share {@value #ARCHETYPES} link archetypes (site {@code i} has archetype {@code i % 64}),
 * so a site's windows always come from the same link: its histogram looks like one line's, not a
 * mix. A push takes its windows from the archetype's pool in turn from a random start, so no
 * window repeats within a push: a repeat would let gzip shrink the body unrealistically.
 * A {@link Builder} is used by one thread; the pools are immutable and shared.
 */
final class PushBodies {
    static final int ARCHETYPES = 64;
    static final int WINDOWS_PER_ARCHETYPE = 32;
    static final String VERSION = "0.1.0-load";
    private static final String[] REGIONS = {"london", "south-east", "south-west", "midlands", "east-of-england",
        "north-west", "north-east-yorkshire"};
    private static final String[] DIRECTIONS = {"down", "up"};

    private final LinkModel[] links = new LinkModel[ARCHETYPES];
    private final JsonTemplate[][] windows = new JsonTemplate[ARCHETYPES][WINDOWS_PER_ARCHETYPE];
    private final int[][] rttCounts = new int[ARCHETYPES][WINDOWS_PER_ARCHETYPE];
    private final JsonTemplate[][] throughput = new JsonTemplate[ARCHETYPES][2];
    private final JsonTemplate health;
    private final String bootId;

    PushBodies(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int a = 0; a < ARCHETYPES; a++) {
            links[a] = LinkModel.draw(random);
            for (int w = 0; w < WINDOWS_PER_ARCHETYPE; w++) {
                LatencyWindow window = links[a].window(random, JsonTemplate.TARGET, JsonTemplate.END);
                windows[a][w] = JsonTemplate.of(withStart(window));
                rttCounts[a][w] = window.rttMicros().length;
            }
            for (int d = 0; d < 2; d++) {
                throughput[a][d] = JsonTemplate.of(throughputResult(random, links[a], DIRECTIONS[d]));
            }
        }
        health = JsonTemplate.of(new AgentHealth(JsonTemplate.END, 86_400, 48_000, 0, 0, 3));
        bootId = Long.toHexString(random.nextLong());
    }

    LinkModel link(int siteIndex) {
        return links[siteIndex % ARCHETYPES];
    }

    /** The identity an agent of {@code site} pushes: its region, link kind and contract. */
    AgentIdentity identity(Roster.Entry site) {
        LinkModel link = link(site.index());
        return new AgentIdentity(site.site(), "agent-" + site.site(), bootId, VERSION,
                Map.of("region", REGIONS[site.index() % REGIONS.length], "link", link.kind()),
                new AgentIdentity.Contract(link.downBytesPerSecond(), link.upBytesPerSecond()));
    }

    /** {@code {"agent":{...},"sequence":} — what every push of this agent starts with. */
    static byte[] prefix(AgentIdentity identity) {
        try {
            return ("{\"agent\":" + Json.mapper().writeValueAsString(identity) + ",\"sequence\":")
                    .getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an identity must serialise", e);
        }
    }

    Builder builder(byte[] prefix, long sequence, int archetype) {
        return new Builder(prefix, sequence, archetype);
    }

    /** One push being assembled; {@link #finish} gzips it. */
    final class Builder {
        private final Bytes out = new Bytes(16 * 1024);
        private final long sequence;
        private final int archetype;
        private int samples;
        private int windowCount;
        private int rttValues;
        private int nextWindow = -1;

        private Builder(byte[] prefix, long sequence, int archetype) {
            this.sequence = sequence;
            this.archetype = archetype % ARCHETYPES;
            out.append(prefix).append(sequence).ascii(",\"samples\":[");
        }

        Builder window(SplittableRandom random, String target, long endMillis) {
            if (nextWindow < 0) {
                nextWindow = random.nextInt(WINDOWS_PER_ARCHETYPE);
            }
            int w = nextWindow++ % WINDOWS_PER_ARCHETYPE;
            separator();
            windows[archetype][w].write(out, target, endMillis - LinkModel.WINDOW_MILLIS, endMillis);
            windowCount++;
            rttValues += rttCounts[archetype][w];
            return this;
        }

        Builder throughput(String target, int direction, long endMillis) {
            separator();
            throughput[archetype][direction & 1].write(out, target, endMillis - 10_000, endMillis);
            return this;
        }

        Builder health(long endMillis) {
            separator();
            health.write(out, null, 0, endMillis);
            return this;
        }

        Push finish() {
            out.ascii("]}");
            return new Push(sequence, Gzip.compress(out.array(), out.size()), out.size(), windowCount, rttValues,
                    samples);
        }

        private void separator() {
            if (samples++ > 0) {
                out.ascii(",");
            }
        }
    }

    /** A push ready to send, and what it carries (counted once acked). */
    record Push(long sequence, byte[] gzipped, int plainBytes, int windows, int rttValues, int samples) {}

    private static LatencyWindow withStart(LatencyWindow w) {
        return new LatencyWindow(w.target(), JsonTemplate.START, w.endEpochMillis(), w.sent(), w.received(),
                w.lostForward(), w.lostBackward(), w.duplicates(), w.reordered(), w.rtt(), w.jitterMicros(),
                w.ipdvP50Micros(), w.ipdvP99Micros(), w.bytesSent(), w.bytesReceived(), w.forwardDelayMicrosP50(),
                w.backwardDelayMicrosP50(), w.rttMicros());
    }

    /** A 10 s, 4-stream test that reached ~92 % of the contract, with latency under load. */
    private static ThroughputResult throughputResult(SplittableRandom random, LinkModel link, String direction) {
        double contract = direction.equals("down") ? link.downBytesPerSecond() : link.upBytesPerSecond();
        double steady = contract * (0.85 + 0.1 * random.nextDouble());
        List<Long> intervals = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            double ramp = Math.min(1, (i + 1) / 15.0);
            intervals.add(Math.round(steady * 0.1 * ramp * (0.95 + 0.1 * random.nextDouble())));
        }
        long bytes = intervals.stream().mapToLong(Long::longValue).sum();
        double idle = link.baseMicros() + link.jitterMeanMicros();
        double loaded = idle + 5_000 + random.nextInt(link.kind().equals("fttp") ? 20_000 : 150_000);
        return new ThroughputResult(JsonTemplate.TARGET, JsonTemplate.START, JsonTemplate.END, direction, "ok", null, 4,
                bytes, 10.0, steady, bytes / 10.0, true, 100, intervals,
                new ThroughputResult.TcpInfo((long) link.baseMicros(), random.nextInt(40), 20L + random.nextInt(200), "cubic"),
                BufferbloatGrade.loadedLatency(idle, loaded, loaded * 1.3, 50, 50));
    }
}
