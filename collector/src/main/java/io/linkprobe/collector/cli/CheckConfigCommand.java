package io.linkprobe.collector.cli;

import io.linkprobe.collector.config.CollectorConfig;
import io.linkprobe.collector.fleet.FleetFile;
import io.linkprobe.collector.plan.Pool;
import io.linkprobe.common.auth.TokenStore;
import io.linkprobe.common.cli.CheckConfigOutput;
import io.linkprobe.common.cli.ExitCodes;
import io.linkprobe.common.config.ConfigException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code check-config --config F}: validates the config and every file it names (tokens, fleet and
 * TLS files), and that its listen addresses are this host's; prints {@code F: ok (...)} or the error.
 */
@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = "Validate a collector config (and the files it names) and exit: 0 ok, 2 invalid.")
public final class CheckConfigCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    io.linkprobe.common.log.LogOptions logOptions;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "collector.yml")
    Path config;

    @Override
    public Integer call() throws ConfigException {
        CollectorConfig loaded = CollectorConfig.load(config);
        int tokens = TokenStore.load(loaded.tokensFile()).size();
        if (loaded.fleetFile() != null) {
            CollectorConfig.Responder r = loaded.responder();
            Pool.of(FleetFile.load(loaded.fleetFile()), new Pool.Embedded(r.enabled(), r.stampPort(),
                    r.throughputPort(), r.maxConcurrentTests(), r.advertiseHost()), loaded.fleetFile().toString());
        }
        System.out.println(CheckConfigOutput.ok(config, tokens + " token(s), http " + loaded.http().bind() + ":"
                + loaded.http().port() + (loaded.http().tls() != null ? " with TLS" : "")
                + (loaded.fleetFile() != null ? ", fleet file " + loaded.fleetFile() : "")));
        return ExitCodes.OK;
    }
}
