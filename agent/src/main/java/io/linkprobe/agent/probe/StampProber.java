package io.linkprobe.agent.probe;

import io.linkprobe.agent.config.AgentConfig;
import io.linkprobe.agent.config.TargetConfig;
import io.linkprobe.common.stamp.SenderOptions;
import io.linkprobe.common.stamp.StampSender;
import io.linkprobe.common.wire.LatencyWindow;
import io.linkprobe.common.wire.Sample;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Latency, jitter and loss: one continuous STAMP session per target, summarised per window (a
 * {@link Schedule.Continuous} prober). A probe closes the target's current window and returns it
 * if any packet was sent in it. A target whose host cannot be resolved is retried at every probe,
 * so an agent that boots before DNS works catches up.
 */
public final class StampProber implements Prober {
    private static final Logger log = LoggerFactory.getLogger(StampProber.class);

    private final EventLoopGroup group;
    private final Supplier<AgentConfig> config;
    private final Map<String, StampSender> senders = new HashMap<>();

    public StampProber(EventLoopGroup group, AgentConfig cfg) {
        this(group, () -> cfg);
    }

    /** @param config the settings in force: a session opens with the latency settings of its moment */
    public StampProber(EventLoopGroup group, Supplier<AgentConfig> config) {
        this.group = group;
        this.config = config;
    }

    @Override
    public Sample.Kind kind() {
        return Sample.Kind.LATENCY;
    }

    @Override
    public boolean measures(TargetConfig target) {
        return target.stampPort() > 0;
    }

    @Override
    public Schedule schedule() {
        return new Schedule.Continuous();
    }

    /** A session keeps the options it opened with: new latency settings restart every session. */
    @Override
    public Object settings() {
        return config.get().latency();
    }

    @Override
    public synchronized CompletionStage<ProbeResult> probe(TargetConfig target, Instant deadline) {
        StampSender sender = senders.get(target.name());
        if (sender == null) {
            open(target);
            return CompletableFuture.completedFuture(ProbeResult.NONE);
        }
        LatencyWindow w = sender.drainWindow(target.name());
        return CompletableFuture.completedFuture(w.sent() > 0 ? ProbeResult.of(List.of(w)) : ProbeResult.NONE);
    }

    @Override
    public synchronized void stop(TargetConfig target) {
        StampSender sender = senders.remove(target.name());
        if (sender != null) {
            sender.close();
            log.info("Stopped probing target '{}' at {}:{}", target.name(), target.host(), target.stampPort());
        }
    }

    private void open(TargetConfig t) {
        SenderOptions options = config.get().latency().senderOptions();
        InetSocketAddress address = new InetSocketAddress(t.host(), t.stampPort());
        if (address.isUnresolved()) {
            log.warn("Target '{}': cannot resolve host '{}'; will retry next window", t.name(), t.host());
            return;
        }
        try {
            StampSender sender = StampSender.open(group, address, options);
            sender.start();
            senders.put(t.name(), sender);
            log.info("Probing target '{}' at {} with STAMP every ~{} ms", t.name(), address, options.meanInterval().toMillis());
        } catch (RuntimeException e) {
            log.warn("Target '{}': cannot open a STAMP session to {} ({}); will retry next window",
                    t.name(), address, e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        senders.values().forEach(StampSender::close);
        senders.clear();
    }
}
