package io.linkprobe.collector.cli;

import io.linkprobe.common.cli.ExitCodes;
import io.linkprobe.collector.CollectorMain;
import io.linkprobe.common.auth.TokenStore;
import io.linkprobe.collector.config.CollectorConfig;
import io.linkprobe.collector.fleet.FleetFile;
import io.linkprobe.collector.plan.Pool;
import io.linkprobe.common.config.ConfigException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code check-config --config F}: validates the config and the tokens and fleet files it names, prints "ok" or the error. */
@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = "Validate a collector config (and its tokens and fleet files) and exit: 0 ok, 2 invalid.")
public final class CheckConfigCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "collector.yml")
    Path config;

    @Override
    public Integer call() {
        try {
            CollectorConfig loaded = CollectorConfig.load(config);
            TokenStore.load(loaded.tokensFile());
            if (loaded.fleetFile() != null) {
                CollectorConfig.Responder r = loaded.responder();
                Pool.of(FleetFile.load(loaded.fleetFile()), new Pool.Embedded(r.enabled(), r.stampPort(),
                        r.throughputPort(), r.maxConcurrentTests(), r.advertiseHost()), loaded.fleetFile().toString());
            }
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return ExitCodes.USAGE;
        }
        System.out.println("ok");
        return ExitCodes.OK;
    }
}
