package io.linkprobe.agent.runtime;

import io.linkprobe.agent.config.AgentConfig;
import io.linkprobe.agent.config.TargetConfig;
import io.linkprobe.common.stamp.SenderOptions;
import io.linkprobe.common.stamp.StampSender;
import io.linkprobe.common.wire.LatencyWindow;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One continuous STAMP session per target, summarised per window. A target whose host cannot be
 * resolved at start is retried at every window, so an agent that boots before DNS works catches up.
 */
final class LatencySessions implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LatencySessions.class);

    private final EventLoopGroup group;
    private final SenderOptions options;
    private final Map<String, TargetConfig> targets = new LinkedHashMap<>();
    private final Map<String, StampSender> senders = new LinkedHashMap<>();

    LatencySessions(EventLoopGroup group, AgentConfig cfg) {
        this.group = group;
        this.options = cfg.latency().senderOptions();
        for (TargetConfig t : cfg.targets()) {
            if (t.stampPort() > 0) {
                targets.put(t.name(), t);
            }
        }
    }

    synchronized void openMissing() {
        for (TargetConfig t : targets.values()) {
            if (senders.containsKey(t.name())) {
                continue;
            }
            InetSocketAddress address = new InetSocketAddress(t.host(), t.stampPort());
            if (address.isUnresolved()) {
                log.warn("Target '{}': cannot resolve host '{}'; will retry next window", t.name(), t.host());
                continue;
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
    }

    /** Closes the current window of every session and returns the windows that saw any packet. */
    synchronized List<LatencyWindow> drainAll() {
        List<LatencyWindow> out = new ArrayList<>(senders.size());
        for (Map.Entry<String, StampSender> e : senders.entrySet()) {
            LatencyWindow w = e.getValue().drainWindow(e.getKey());
            if (w.sent() > 0) {
                out.add(w);
            }
        }
        return out;
    }

    @Override
    public synchronized void close() {
        senders.values().forEach(StampSender::close);
        senders.clear();
    }
}
