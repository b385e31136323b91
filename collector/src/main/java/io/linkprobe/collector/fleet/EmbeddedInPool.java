package io.linkprobe.collector.fleet;

/**
 * {@code embedded_responder:}: the collector's own responder as a member of the pool, named
 * {@value #NAME}. Its ports and concurrency are those of {@code responder:} in collector.yml.
 *
 * @param enabled null = in the pool whenever collector.yml's {@code responder.enabled}
 * @param host what agents reach it at; null = {@code responder.advertise_host} of collector.yml,
 *     else the host name each agent itself used to reach the collector (its request's Host)
 * @param maxMbps its bandwidth for tests, default {@value #DEFAULT_MAX_MBPS}
 */
public record EmbeddedInPool(Boolean enabled, String host, Double maxMbps) {
    public static final String NAME = "collector";
    public static final double DEFAULT_MAX_MBPS = 1000;
    public static final EmbeddedInPool DEFAULT = new EmbeddedInPool(null, null, null);

    public EmbeddedInPool {
        if (host != null && host.isBlank()) {
            host = null;
        }
        maxMbps = maxMbps == null ? DEFAULT_MAX_MBPS : maxMbps;
        PoolResponder.checkMbps(NAME, maxMbps);
    }
}
