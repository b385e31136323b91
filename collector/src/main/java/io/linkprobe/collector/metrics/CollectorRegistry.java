package io.linkprobe.collector.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The collector's Prometheus registry: Micrometer's, exposed the way Prometheus users expect of
 * an exporter.
 *
 * <ul>
 *   <li>No {@code _max} gauges. Micrometer publishes one beside every timer (a maximum that decays
 *       over its own ring buffer, not over any PromQL range): next to exact histogram buckets it is a
 *       second, differently-windowed answer to "how slow", and a series per site that nobody asked
 *       for. Micrometer has no switch for it, so the scrape leaves those families out by name; the
 *       histograms keep their buckets exactly as declared.
 *   <li>The standard process metrics of client_java's {@link ProcessMetrics}
 *       ({@code process_cpu_seconds_total}, {@code process_resident_memory_bytes},
 *       {@code process_virtual_memory_bytes}, {@code process_open_fds}, {@code process_max_fds},
 *       {@code process_start_time_seconds}), the names every exporter has, instead of Micrometer's
 *       {@code process_cpu_time_ns_total} and {@code process_files_open_files}.
 *   <li>Base units on meters that Micrometer's binders publish without one (Netty's allocator
 *       memory is bytes).
 * </ul>
 */
public final class CollectorRegistry extends PrometheusMeterRegistry {
    /** Micrometer's timers and summaries each add a gauge family named {@code <name>_max}. */
    static final Predicate<String> WITHOUT_MAX = name -> !name.endsWith("_max");

    /** HELP text for the meters of Micrometer's binders that come without a description. */
    private static final Map<String, String> MISSING_HELP = Map.of(
            "netty.allocator.memory.used", "Memory Netty's buffer allocator has taken from the heap or directly (memory_type: heap or direct)",
            "netty.allocator.memory.pinned", "Memory Netty's buffer allocator holds for buffers in use (memory_type: heap or direct)",
            "netty.allocator.pooled.arenas", "Arenas of Netty's pooled buffer allocator",
            "netty.allocator.pooled.cache.size", "Size of the pooled buffer allocator's thread-local caches",
            "netty.allocator.pooled.chunk.size", "Chunk size of Netty's pooled buffer allocator",
            "netty.allocator.pooled.threadlocal.caches", "Thread-local caches of Netty's pooled buffer allocator",
            "netty.eventexecutor.tasks.pending", "Tasks waiting in a Netty event loop's queue (name: the event loop)");

    private final ExpositionFormats formats = ExpositionFormats.init();

    public CollectorRegistry() {
        super(PrometheusConfig.DEFAULT);
        config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                String name = id.getName();
                boolean bytes = name.startsWith("netty.allocator.memory.") || name.equals("netty.allocator.pooled.chunk.size")
                        || name.equals("netty.allocator.pooled.cache.size");
                String unit = bytes && id.getBaseUnit() == null ? "bytes" : id.getBaseUnit();
                // Every family has HELP text; Micrometer's Netty binders leave some without.
                String help = id.getDescription() == null ? MISSING_HELP.get(name) : id.getDescription();
                return new Meter.Id(name, Tags.of(id.getTagsAsIterable()), unit, help, id.getType());
            }
        });
        ProcessMetrics.builder().register(getPrometheusRegistry());
    }

    @Override
    public String scrape() {
        return scrape(PrometheusTextFormatWriter.CONTENT_TYPE);
    }

    @Override
    public String scrape(String contentType) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            scrape(out, contentType);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void scrape(OutputStream out) throws IOException {
        scrape(out, PrometheusTextFormatWriter.CONTENT_TYPE);
    }

    @Override
    public void scrape(OutputStream out, String contentType) throws IOException {
        formats.findWriter(contentType).write(out, getPrometheusRegistry().scrape(WITHOUT_MAX));
    }
}
