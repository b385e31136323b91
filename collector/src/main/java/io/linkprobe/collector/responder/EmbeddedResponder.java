package io.linkprobe.collector.responder;

import io.linkprobe.collector.config.CollectorConfig;
import io.linkprobe.common.throughput.server.KeyLookup;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.EventLoopGroup;
import java.util.List;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The responder run inside the collector (on by default, {@code responder.enabled: false} turns it
 * off when a standalone {@code agent responder} serves the region instead). Started after the HTTP
 * listener and stopped before it by the collector's lifecycle.
 */
public final class EmbeddedResponder implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedResponder.class);

    private final CollectorConfig.Responder config;
    private final ResponderFactory factory;
    private volatile List<ResponderPart> parts = List.of();

    public EmbeddedResponder(CollectorConfig.Responder config, ResponderFactory factory) {
        this.config = config;
        this.factory = factory;
    }

    public boolean enabled() {
        return config.enabled();
    }

    /** Starts the parts unless disabled by config. */
    public void start(KeyLookup keys, MeterRegistry registry, EventLoopGroup group) throws ResponderStartException {
        if (!config.enabled()) {
            log.info("embedded responder disabled by config (responder.enabled: false)");
            return;
        }
        try {
            parts = List.copyOf(factory.start(config, keys, registry, group));
        } catch (Exception e) {
            throw new ResponderStartException("cannot start the embedded responder: " + e.getMessage(), e);
        }
        for (ResponderPart part : parts) {
            log.info("embedded responder: {} on port {}", part.name(), part.port());
        }
    }

    public List<ResponderPart> parts() {
        return parts;
    }

    /** The bound port of the part named {@code name} ({@link ResponderPart#STAMP}, ...), if running. */
    public OptionalInt port(String name) {
        return parts.stream().filter(p -> p.name().equals(name)).mapToInt(ResponderPart::port).findFirst();
    }

    @Override
    public void close() {
        List<ResponderPart> running = parts;
        parts = List.of();
        for (ResponderPart part : running) {
            try {
                part.close();
            } catch (RuntimeException e) {
                log.warn("stopping responder part {} failed: {}", part.name(), e.toString());
            }
        }
    }

    /** The responder could not start; the message names the part and the fix. */
    public static final class ResponderStartException extends Exception {
        public ResponderStartException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
