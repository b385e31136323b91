package io.linkprobe.collector.responder;

import io.linkprobe.collector.config.CollectorConfig;
import io.linkprobe.collector.metrics.LinkprobeMeter;
import io.linkprobe.collector.metrics.Meters;
import io.linkprobe.common.net.BindFailure;
import io.linkprobe.common.stamp.ReflectorOptions;
import io.linkprobe.common.stamp.StampReflector;
import io.linkprobe.common.throughput.server.KeyLookup;
import io.linkprobe.common.throughput.server.ServerOptions;
import io.linkprobe.common.throughput.server.ThroughputServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The embedded responder from {@code common}: a stateful STAMP reflector on {@code stamp_port}
 * and a throughput server on {@code throughput_port} that accepts tests signed with a site's token.
 * Both bind the HTTP listener's address.
 */
public final class CommonResponders implements ResponderFactory {
    private final String bindAddress;

    public CommonResponders() {
        this("0.0.0.0");
    }

    public CommonResponders(String bindAddress) {
        this.bindAddress = bindAddress;
    }

    @Override
    public List<ResponderPart> start(CollectorConfig.Responder config, KeyLookup keys, MeterRegistry registry,
            EventLoopGroup group) throws Exception {
        List<ResponderPart> parts = new ArrayList<>(2);
        try {
            StampReflector reflector = bind("udp", config.stampPort(), () -> StampReflector.start(group,
                    new InetSocketAddress(bindAddress, config.stampPort()), ReflectorOptions.defaults()));
            parts.add(part(ResponderPart.STAMP, reflector.localPort(), reflector::close));
            Meters.functionCounter(registry, LinkprobeMeter.RESPONDER_STAMP_REFLECTED, reflector, StampReflector::reflectedTotal);
            Meters.functionCounter(registry, LinkprobeMeter.RESPONDER_STAMP_MALFORMED, reflector, StampReflector::malformedTotal);
            Meters.gauge(registry, LinkprobeMeter.RESPONDER_STAMP_SESSIONS, reflector, StampReflector::activeSessions);

            ServerOptions options = ServerOptions.defaults()
                    .withMaxConcurrentTests(config.maxConcurrentTests())
                    .withCongestionControl(config.congestionControl())
                    .withKeys(keys);
            ThroughputServer server = bind("tcp", config.throughputPort(), () -> ThroughputServer.start(group,
                    new InetSocketAddress(bindAddress, config.throughputPort()), options));
            parts.add(part(ResponderPart.THROUGHPUT, server.localPort(), server::close));
            Meters.gauge(registry, LinkprobeMeter.RESPONDER_THROUGHPUT_RUNNING, server, s -> s.status().runningTests());
            Meters.gauge(registry, LinkprobeMeter.RESPONDER_THROUGHPUT_QUEUE, server, s -> s.status().queueLength());
            return parts;
        } catch (Exception e) {
            parts.forEach(ResponderPart::close);
            throw e;
        }
    }

    private interface Starter<T> {
        T start() throws Exception;
    }

    private <T> T bind(String proto, int port, Starter<T> starter) throws Exception {
        try {
            return starter.start();
        } catch (Exception e) {
            String setting = "responder." + (proto.equals("udp") ? "stamp_port" : "throughput_port");
            throw new Exception(BindFailure.explain(proto, new InetSocketAddress(bindAddress, port), e, setting), e);
        }
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
