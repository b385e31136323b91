package io.linkprobe.collector;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyEventExecutorMetrics;
import io.linkprobe.collector.metrics.LinkprobeMeter;
import io.linkprobe.collector.metrics.Meters;
import io.linkprobe.common.cli.BuildInfo;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.channel.EventLoopGroup;

/**
 * The process's own meters: {@code linkprobe_build_info}, JVM memory, GC, threads, class loading,
 * and Netty's buffer allocator and event loop queues. CPU, memory, start time and file descriptors
 * (each keep-alive agent holds one) are client_java's standard process metrics, registered with the
 * registry itself ({@code CollectorRegistry}); the host's CPU count and load are node_exporter's.
 */
final class SystemMeters implements AutoCloseable {
    private final JvmGcMetrics gc = new JvmGcMetrics();
    /** Micrometer holds gauge state weakly. */
    private final BuildInfo build = BuildInfo.current();

    SystemMeters(MeterRegistry registry) {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        Meters.gauge(registry, LinkprobeMeter.BUILD_INFO, build, b -> 1.0, build.version(), build.revision(),
                build.javaVersion());
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider allocator) {
            new NettyAllocatorMetrics(allocator).bindTo(registry);
        }
    }

    static void bindEventLoops(MeterRegistry registry, EventLoopGroup group) {
        new NettyEventExecutorMetrics(group).bindTo(registry);
    }

    @Override
    public void close() {
        gc.close();
    }
}
