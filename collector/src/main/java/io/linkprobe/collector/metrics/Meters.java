package io.linkprobe.collector.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Builds meters only from {@link LinkprobeMeter} declarations, with tag values given in the
 * declared key order, so that no call site can invent a name or a tag key.
 */
public final class Meters {
    private Meters() {}

    public static Counter counter(MeterRegistry registry, LinkprobeMeter def, String... tagValues) {
        require(def, LinkprobeMeter.Kind.COUNTER);
        return Counter.builder(def.meterName())
                .description(def.description())
                .baseUnit(def.baseUnit())
                .tags(tags(def, tagValues))
                .register(registry);
    }

    /** A counter that reads a monotonic count kept elsewhere (e.g. by the STAMP reflector). */
    public static <T> FunctionCounter functionCounter(MeterRegistry registry, LinkprobeMeter def, T state,
            ToDoubleFunction<T> count, String... tagValues) {
        require(def, LinkprobeMeter.Kind.COUNTER);
        return FunctionCounter.builder(def.meterName(), state, count)
                .description(def.description())
                .baseUnit(def.baseUnit())
                .tags(tags(def, tagValues))
                .register(registry);
    }

    public static Timer timer(MeterRegistry registry, LinkprobeMeter def, String... tagValues) {
        require(def, LinkprobeMeter.Kind.TIMER);
        List<Duration> buckets = def.buckets();
        return Timer.builder(def.meterName())
                .description(def.description())
                .tags(tags(def, tagValues))
                .serviceLevelObjectives(buckets.toArray(Duration[]::new))
                .minimumExpectedValue(buckets.get(0))
                .maximumExpectedValue(buckets.get(buckets.size() - 1))
                .register(registry);
    }

    /** A gauge reading {@code state}; the caller keeps {@code state} reachable (Micrometer holds it weakly). */
    public static <T> Gauge gauge(MeterRegistry registry, LinkprobeMeter def, T state, ToDoubleFunction<T> value,
            String... tagValues) {
        require(def, LinkprobeMeter.Kind.GAUGE);
        return Gauge.builder(def.meterName(), state, value)
                .description(def.description())
                .baseUnit(def.baseUnit())
                .tags(tags(def, tagValues))
                .register(registry);
    }

    static Tags tags(LinkprobeMeter def, String... values) {
        List<String> keys = def.tagKeys();
        if (keys.size() != values.length) {
            throw new IllegalArgumentException(def + " takes tags " + keys + ", got " + values.length + " values");
        }
        Tags tags = Tags.empty();
        for (int i = 0; i < values.length; i++) {
            tags = tags.and(keys.get(i), values[i]);
        }
        return tags;
    }

    private static void require(LinkprobeMeter def, LinkprobeMeter.Kind kind) {
        if (def.kind() != kind) {
            throw new IllegalArgumentException(def + " is a " + def.kind() + ", not a " + kind);
        }
    }
}
