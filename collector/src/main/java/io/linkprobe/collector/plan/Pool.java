package io.linkprobe.collector.plan;

import io.linkprobe.collector.fleet.EmbeddedInPool;
import io.linkprobe.collector.fleet.FleetFile;
import io.linkprobe.collector.fleet.PoolResponder;
import io.linkprobe.common.config.ConfigException;
import java.util.ArrayList;
import java.util.List;

/** The responders throughput tests are scheduled on: the fleet file's, and the collector's own. */
public final class Pool {
    private Pool() {}

    /**
     * The collector's embedded responder as collector.yml configures it (ports as bound).
     *
     * @param advertiseHost {@code responder.advertise_host}; null = each agent's Host header
     */
    public record Embedded(boolean enabled, int stampPort, int throughputPort, int maxConcurrentTests,
            String advertiseHost) {}

    /**
     * @param source what messages call the fleet file
     * @throws ConfigException when the fleet file asks for the embedded responder that collector.yml
     *     turned off, or names a responder as the embedded one is named
     */
    public static List<PoolMember> of(FleetFile fleet, Embedded embedded, String source) throws ConfigException {
        List<PoolMember> pool = new ArrayList<>();
        EmbeddedInPool wanted = fleet.embeddedResponder();
        boolean in = wanted.enabled() == null ? embedded.enabled() : wanted.enabled();
        if (in && !embedded.enabled()) {
            throw new ConfigException(source + ": embedded_responder.enabled is true, but collector.yml turns the "
                    + "embedded responder off (responder.enabled: false); enable it there or set enabled: false here.");
        }
        if (in) {
            for (PoolResponder r : fleet.responders()) {
                if (r.name().equals(EmbeddedInPool.NAME)) {
                    throw new ConfigException(source + ": responder name '" + EmbeddedInPool.NAME + "' is the embedded "
                            + "responder's; give the standalone responder another name.");
                }
            }
            pool.add(new PoolMember(EmbeddedInPool.NAME, wanted.host() != null ? wanted.host() : embedded.advertiseHost(),
                    embedded.stampPort(), embedded.throughputPort(), embedded.maxConcurrentTests(), wanted.maxMbps()));
        }
        for (PoolResponder r : fleet.responders()) {
            pool.add(new PoolMember(r.name(), r.host(), r.stampPort(), r.throughputPort(), r.maxConcurrentTests(),
                    r.maxMbps()));
        }
        if (pool.isEmpty() && fleet != FleetFile.NONE && fleet.defaults().throughput().complete().enabled()) {
            throw new ConfigException(source + ": throughput tests are on, but the responder pool is empty; list "
                    + "responders under 'responders:', keep the embedded responder on, or set "
                    + "defaults.throughput.enabled: false.");
        }
        return List.copyOf(pool);
    }
}
