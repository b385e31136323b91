package io.linkprobe.collector.ingest;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.linkprobe.collector.archive.ArchiveBatch;
import io.linkprobe.collector.archive.codec.PushCodec;
import io.linkprobe.collector.config.Limits;
import io.linkprobe.collector.http.RefusedException;
import io.linkprobe.collector.metrics.LinkAggregator;
import io.linkprobe.collector.metrics.SelfMetrics;
import io.linkprobe.collector.sites.SiteRegistry;
import io.linkprobe.common.testing.fuzz.Fuzzing;
import io.linkprobe.common.testing.fuzz.Refusals;
import io.linkprobe.common.wire.Json;
import io.linkprobe.common.wire.PushBatch;
import io.linkprobe.common.wire.Sample;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A push body ({@code POST /api/v1/samples}) as anyone holding a token can send it: the JSON parse
 * and the validator may refuse it only with a {@link RefusedException}. What they accept, the rest
 * of ingest must digest without a failure of its own: the site registry admits it (or refuses it,
 * declared) and records it into the Prometheus series, the scrape of those series works, and the
 * archive's encoding of each sample reads back as the wire model (the history pages read it).
 *
 * <p>Input: the body's bytes. The validator's clock is fixed at 2026-01-01T00:00:00Z.
 */
class PushFuzzTest {
    static final long NOW = 1_767_225_600_000L;

    @FuzzTest(maxDuration = Fuzzing.DURATION)
    void push(byte[] body) throws IOException {
        PushBatch[] parsed = new PushBatch[1];
        boolean valid = Refusals.accepted(() -> {
            PushBatch batch = SamplesEndpoint.parse(Unpooled.wrappedBuffer(body));
            new PushValidator(Limits.DEFAULT, Duration.ofDays(30)).validate(batch, NOW);
            parsed[0] = batch;
        }, RefusedException.class);
        if (!valid) {
            return;
        }
        PushBatch batch = parsed[0];
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try {
            SiteRegistry sites = new SiteRegistry(Limits.DEFAULT, Duration.ofHours(1),
                    new LinkAggregator(registry, new SelfMetrics(registry).sampleDelay()));
            boolean admitted = Refusals.accepted(() -> sites.admit(batch.agent(), batch.samples().stream()
                    .map(Sample::target).filter(Objects::nonNull).collect(Collectors.toSet()), NOW), RefusedException.class);
            if (admitted) {
                sites.record(batch.agent(), batch.samples(), NOW);
                registry.scrape();
            }
            ArchiveBatch stored = ArchiveEncoding.encode(batch, NOW);
            Json.mapper().readValue(stored.identityJson(), io.linkprobe.common.wire.AgentIdentity.class);
            List<Sample> back = PushCodec.decode(stored.data());
            if (back.size() != batch.samples().size()) {
                throw new AssertionError("stored " + back.size() + " of " + batch.samples().size() + " samples");
            }
        } finally {
            registry.close();
        }
    }
}
