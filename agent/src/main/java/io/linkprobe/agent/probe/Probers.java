package io.linkprobe.agent.probe;

import io.linkprobe.agent.config.AgentConfig;
import io.linkprobe.common.wire.Sample;
import io.netty.channel.EventLoopGroup;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Every kind of measurement the agent runs, by the kind of sample it produces. */
public final class Probers {
    private Probers() {}

    /**
     * A new probe kind is one more entry in this list.
     *
     * @param config the settings in force, which a new plan changes while the probers run
     * @param token the site's token, read when each test starts (it may be rotated while the agent runs)
     */
    public static Map<Sample.Kind, Prober> of(EventLoopGroup group, Supplier<AgentConfig> config, Supplier<String> token) {
        List<Prober> probers = List.of(
                new StampProber(group, config),
                new ConnectProber(group, config),
                new ThroughputProber(group, config, token),
                new VideoProber(group, config));
        Map<Sample.Kind, Prober> map = new EnumMap<>(Sample.Kind.class);
        for (Prober p : probers) {
            if (map.put(p.kind(), p) != null) {
                throw new IllegalArgumentException("two probers for kind " + p.kind());
            }
        }
        return Collections.unmodifiableMap(map);
    }
}
