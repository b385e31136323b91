package io.linkprobe.collector.fleet;

import io.linkprobe.common.wire.Names;
import io.linkprobe.common.config.InvalidValue;
import io.linkprobe.common.config.SettingRules;
import io.linkprobe.common.net.DefaultPorts;

/**
 * A latency target in the fleet file: the same keys, defaults and rules as a target in
 * {@code agent.yml}, except that {@code throughput_port} must stay 0: in a fleet, throughput tests
 * go only to the responder pool ({@code responders:}), in the slot the collector reserved there.
 */
public record FleetTarget(String name, String host, Integer stampPort, Integer throughputPort, Integer connectPort) {
    public FleetTarget {
        String problem = Names.nameProblem(name);
        if (problem != null) {
            throw new InvalidValue("name", "target name " + problem);
        }
        SettingRules.targetHost(name, host);
        stampPort = stampPort == null ? DefaultPorts.STAMP : stampPort;
        throughputPort = throughputPort == null ? 0 : throughputPort;
        connectPort = connectPort == null ? 0 : connectPort;
        SettingRules.targetPorts(name, stampPort, throughputPort, connectPort);
        if (throughputPort != 0) {
            throw new InvalidValue("throughput_port", "target '" + name + "': throughput tests in a fleet go to the "
                    + "responder pool, in the slot the collector reserves there; list the hub under 'responders:' "
                    + "and remove throughput_port here");
        }
    }
}
