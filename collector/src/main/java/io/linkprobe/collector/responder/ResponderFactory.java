package io.linkprobe.collector.responder;

import io.linkprobe.collector.config.CollectorConfig;
import io.linkprobe.common.throughput.server.KeyLookup;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.EventLoopGroup;
import java.util.List;

/**
 * Starts the measurement responder's parts (from {@code common}: the STAMP Session-Reflector on
 * {@code stamp_port}, the throughput server on {@code throughput_port} with at most
 * {@code max_concurrent_tests}). The collector depends on this interface only, so the responder
 * can be built and tested in {@code common} on its own.
 */
@FunctionalInterface
public interface ResponderFactory {

    /**
     * Binds and starts every part; on failure stops those already started and throws an exception
     * whose message is one sentence naming the port and the fix.
     *
     * @param keys the throughput HMAC key of each site, derived from its token
     * @param registry where the parts register their own meters (e.g. packets reflected)
     * @param group the collector's event loops, to share rather than start more threads
     */
    List<ResponderPart> start(CollectorConfig.Responder config, KeyLookup keys, MeterRegistry registry,
            EventLoopGroup group)
            throws Exception;
}
