package io.linkprobe.agent.config;

import io.linkprobe.common.config.InvalidValue;
import io.linkprobe.common.net.DefaultPorts;

/**
 * One far end to measure towards: a linkprobe responder (usually the collector's embedded one) or
 * any STAMP / TWAMP-Light reflector.
 *
 * @param throughputPort 0 = no throughput tests to this target
 * @param connectPort 0 = no TCP connect probe
 */
public record TargetConfig(String name, String host, Integer stampPort, Integer throughputPort, Integer connectPort) {
    public TargetConfig {
        if (name == null) {
            throw new InvalidValue("name", "each target needs a 'name' of 1-64 letters, digits, '.', '_' or '-'");
        }
        AgentConfig.requireName("name", "target name", name);
        if (host == null || host.isBlank()) {
            throw new InvalidValue("host", "target '" + name + "' needs a 'host' (name or address of the reflector)");
        }
        stampPort = stampPort == null ? DefaultPorts.STAMP : stampPort;
        throughputPort = throughputPort == null ? 0 : throughputPort;
        connectPort = connectPort == null ? 0 : connectPort;
        check(name, "stamp_port", stampPort, 0);
        check(name, "throughput_port", throughputPort, 0);
        check(name, "connect_port", connectPort, 0);
        if (stampPort == 0 && connectPort == 0) {
            throw new InvalidValue("", "target '" + name + "' measures nothing: set stamp_port or connect_port");
        }
    }

    private static void check(String target, String key, int port, int min) {
        if (port < min || port > 65535) {
            throw new InvalidValue(key, "target '" + target + "': " + key + " " + port + " is not a port (0-65535)");
        }
    }
}
