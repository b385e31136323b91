package io.linkprobe.collector.responder;

import io.linkprobe.collector.config.CollectorConfig;
import io.linkprobe.collector.metrics.LinkprobeMeter;
import io.linkprobe.collector.metrics.Meters;
import io.linkprobe.common.responder.Responder;
import io.linkprobe.common.responder.ResponderOptions;
import io.linkprobe.common.stamp.StampReflector;
import io.linkprobe.common.throughput.server.KeyLookup;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.EventLoopGroup;
import java.util.ArrayList;
import java.util.List;

/**
 * The embedded responder: {@code common}'s {@link Responder} (the one the agent's
 * {@code responder} command runs), built from the {@code responder.*} keys, with a stateful STAMP
 * reflector on {@code stamp_port} and a throughput server on {@code throughput_port} that accepts
 * tests signed with a site's token; both register their meters here.
 */
public final class CommonResponders implements ResponderFactory {
    private final String bindAddress;

    public CommonResponders() {
        this(ResponderOptions.DEFAULT_BIND_ADDRESS);
    }

    public CommonResponders(String bindAddress) {
        this.bindAddress = bindAddress;
    }

    @Override
    public List<ResponderPart> start(CollectorConfig.Responder config, KeyLookup keys, MeterRegistry registry,
            EventLoopGroup group) throws Exception {
        ResponderOptions options = ResponderOptions.defaults()
                .withBindAddress(bindAddress)
                .withPorts(config.stampPort(), config.throughputPort())
                .withMaxConcurrentTests(config.maxConcurrentTests())
                .withCongestionControl(config.congestionControl())
                .withBusyPoll(config.busyPoll())
                .withKeys(keys);
        Responder responder;
        try {
            responder = Responder.start(options, group);
        } catch (Responder.BindException e) {
            String setting = e.part() == Responder.Part.STAMP ? "responder.stamp_port" : "responder.throughput_port";
            throw new Exception(e.explain(setting), e);
        }
        List<ResponderPart> parts = new ArrayList<>(2);
        // Both parts stop with the responder: the first part closes it, the second has nothing left.
        responder.reflector().ifPresent(reflector -> {
            parts.add(part(ResponderPart.STAMP, reflector.localPort(), responder::close));
            Meters.functionCounter(registry, LinkprobeMeter.RESPONDER_STAMP_REFLECTED, reflector, StampReflector::reflectedTotal);
            Meters.functionCounter(registry, LinkprobeMeter.RESPONDER_STAMP_MALFORMED, reflector, StampReflector::malformedTotal);
            Meters.gauge(registry, LinkprobeMeter.RESPONDER_STAMP_SESSIONS, reflector, StampReflector::activeSessions);
        });
        responder.throughput().ifPresent(server -> {
            parts.add(part(ResponderPart.THROUGHPUT, server.localPort(), responder::close));
            Meters.gauge(registry, LinkprobeMeter.RESPONDER_THROUGHPUT_RUNNING, server, s -> s.status().runningTests());
            Meters.gauge(registry, LinkprobeMeter.RESPONDER_THROUGHPUT_QUEUE, server, s -> s.status().queueLength());
        });
        return parts;
    }

    private static ResponderPart part(String name, int port, Runnable close) {
        return new ResponderPart() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public int port() {
                return port;
            }

            @Override
            public void close() {
                close.run();
            }
        };
    }
}
