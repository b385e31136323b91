package io.linkprobe.collector.plan;

/**
 * A responder of the pool as the plan names it and the scheduler fills it.
 *
 * @param host null for the embedded responder when neither the fleet file nor collector.yml names
 *     it: then each agent gets the host it reached the collector at
 */
public record PoolMember(String name, String host, int stampPort, int throughputPort, int maxConcurrentTests,
        double maxMbps) {

    /** The rate one test of {@code mbps} (0 = unknown: a whole lane) takes on this responder. */
    public double rateOf(double mbps) {
        return mbps > 0 ? Math.min(mbps, maxMbps) : maxMbps / maxConcurrentTests;
    }
}
