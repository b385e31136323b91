package io.linkprobe.agent.probe;

import io.linkprobe.agent.config.AgentConfig;
import io.linkprobe.agent.config.ConnectSettings;
import io.linkprobe.agent.config.TargetConfig;
import io.linkprobe.common.net.Transports;
import io.linkprobe.common.wire.ConnectResult;
import io.linkprobe.common.wire.Sample;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * TCP connect time to {@code host:connect_port}: the fallback where UDP is blocked. Measures the
 * three-way handshake (SYN → SYN-ACK seen by the kernel) from {@code System.nanoTime}, then closes.
 */
public final class ConnectProber implements Prober {
    private final EventLoopGroup group;
    private final Supplier<AgentConfig> config;

    public ConnectProber(EventLoopGroup group, AgentConfig config) {
        this(group, () -> config);
    }

    /** @param config the settings in force */
    public ConnectProber(EventLoopGroup group, Supplier<AgentConfig> config) {
        this.group = group;
        this.config = config;
    }

    @Override
    public Sample.Kind kind() {
        return Sample.Kind.CONNECT;
    }

    @Override
    public boolean measures(TargetConfig target) {
        return target.connectPort() > 0;
    }

    @Override
    public Schedule schedule() {
        ConnectSettings settings = config.get().connect();
        return new Schedule.Periodic(settings.every(), settings.timeout());
    }

    @Override
    public CompletionStage<ProbeResult> probe(TargetConfig target, Instant deadline) {
        CompletableFuture<ProbeResult> result = new CompletableFuture<>();
        long timeoutMillis = Math.max(1, Duration.between(Instant.now(), deadline).toMillis());
        long start = System.nanoTime();
        ChannelFuture f = new Bootstrap().group(group)
                .channel(Transports.socket())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeoutMillis))
                .handler(new ChannelInboundHandlerAdapter())
                .connect(target.host(), target.connectPort());
        f.addListener((ChannelFuture done) -> {
            long elapsed = System.nanoTime() - start;
            ConnectResult r;
            if (done.isSuccess()) {
                r = new ConnectResult(target.name(), target.host(), target.connectPort(), System.currentTimeMillis(),
                        true, elapsed / 1_000.0, null);
                done.channel().close();
            } else {
                r = new ConnectResult(target.name(), target.host(), target.connectPort(), System.currentTimeMillis(),
                        false, null, reason(done.cause()));
            }
            result.complete(ProbeResult.of(List.of(r)));
        });
        return result;
    }

    private static String reason(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
