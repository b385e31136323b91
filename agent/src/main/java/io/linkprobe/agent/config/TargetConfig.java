package io.linkprobe.agent.config;

import io.linkprobe.common.config.InvalidValue;
import io.linkprobe.common.config.SettingRules;
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
        SettingRules.targetHost(name, host);
        stampPort = stampPort == null ? DefaultPorts.STAMP : stampPort;
        throughputPort = throughputPort == null ? 0 : throughputPort;
        connectPort = connectPort == null ? 0 : connectPort;
        SettingRules.targetPorts(name, stampPort, throughputPort, connectPort);
    }
}
