package io.linkprobe.collector.fleet;

import io.linkprobe.common.wire.Names;
import io.linkprobe.common.config.InvalidValue;
import io.linkprobe.common.net.DefaultPorts;
import io.linkprobe.common.throughput.server.ServerOptions;

/**
 * {@code responders[]}: a standalone throughput responder ({@code linkprobe-agent responder}) in
 * the pool the collector schedules tests on.
 *
 * @param maxConcurrentTests what the responder itself admits ({@code --max-concurrent-tests});
 *     the collector never schedules more at once
 * @param maxMbps the hub's bandwidth for tests: the contracted rates of tests running at once on
 *     it add up to at most this
 */
public record PoolResponder(String name, String host, Integer stampPort, Integer throughputPort,
        Integer maxConcurrentTests, Double maxMbps) {
    public PoolResponder {
        String problem = Names.nameProblem(name);
        if (problem != null) {
            throw new InvalidValue("name", "responder name " + problem);
        }
        if (host == null || host.isBlank()) {
            throw new InvalidValue("host", "responder '" + name + "' needs a 'host': the name or address agents reach it at");
        }
        stampPort = stampPort == null ? DefaultPorts.STAMP : stampPort;
        throughputPort = throughputPort == null ? DefaultPorts.THROUGHPUT : throughputPort;
        maxConcurrentTests = maxConcurrentTests == null ? ServerOptions.DEFAULT_MAX_CONCURRENT_TESTS : maxConcurrentTests;
        range(name, "stamp_port", stampPort, 0, 65535);
        range(name, "throughput_port", throughputPort, 1, 65535);
        range(name, "max_concurrent_tests", maxConcurrentTests, 1, 1000);
        if (maxMbps == null) {
            throw new InvalidValue("", "responder '" + name + "' needs 'max_mbps', its bandwidth for tests in Mbit/s "
                    + "(e.g. 1000 for a hub on a 1 Gbit/s port)");
        }
        checkMbps(name, maxMbps);
    }

    static void checkMbps(String name, double maxMbps) {
        if (!(maxMbps > 0 && maxMbps <= 1_000_000)) {
            throw new InvalidValue("max_mbps", "responder '" + name + "': max_mbps must be more than 0 and at most 1000000");
        }
    }

    private static void range(String name, String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new InvalidValue(key, "responder '" + name + "': " + key + " " + value + " must be between "
                    + min + " and " + max);
        }
    }
}
