package io.linkprobe.agent.cli;

import io.linkprobe.agent.config.AgentConfig;
import io.linkprobe.common.cli.CheckConfigOutput;
import io.linkprobe.common.cli.ExitCodes;
import io.linkprobe.common.config.ConfigException;
import io.linkprobe.common.config.ConfigLoader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Validates agent.yml (and that its token file and CA file are readable) and exits: 0 valid, 2 not. */
@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = "Validate an agent config file and exit (0 valid, 2 invalid).")
public final class CheckConfigCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    io.linkprobe.common.log.LogOptions logOptions;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "agent config (YAML)")
    Path config;

    @Override
    public Integer call() throws ConfigException {
        AgentConfig cfg = ConfigLoader.load(config, AgentConfig.class);
        AgentSetup.readToken(cfg, config);
        AgentSetup.collectorTls(cfg);
        System.out.println(CheckConfigOutput.ok(config, "site " + cfg.site() + ", " + cfg.targets().size()
                + " target(s) of its own; the collector's plan adds its targets and schedule"));
        return ExitCodes.OK;
    }
}
