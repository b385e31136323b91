package io.linkprobe.collector.cli;

import io.linkprobe.collector.config.CollectorConfig;
import io.linkprobe.collector.config.WebConfig;
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
 * {@code check-config --config F [--web.config.file W]}: validates the config and every file it
 * names (tokens, fleet and TLS files), and that its listen addresses are this host's; prints
 * {@code F: ok (...)} or the error.
 */
@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = "Validate a collector config (and the files it names) and exit: 0 ok, 2 invalid.")
public final class CheckConfigCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    io.linkprobe.common.log.LogOptions logOptions;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "collector.yml")
    Path config;

    @Option(names = "--web.config.file", paramLabel = "FILE",
            description = "TLS and basic auth for /metrics, the status page and /api/v1 reads, in the Prometheus "
                    + "exporter-toolkit format (tls_server_config, basic_auth_users); pushes keep their tokens")
    Path webConfig;

    @Override
    public Integer call() throws ConfigException {
        CollectorConfig loaded = CollectorConfig.load(config);
        int tokens = TokenStore.load(loaded.tokensFile()).size();
        if (loaded.fleetFile() != null) {
            CollectorConfig.Responder r = loaded.responder();
            Pool.of(FleetFile.load(loaded.fleetFile()), new Pool.Embedded(r.enabled(), r.stampPort(),
                    r.throughputPort(), r.maxConcurrentTests(), r.advertiseHost()), loaded.fleetFile().toString());
        }
        WebConfig web = webConfig == null ? WebConfig.NONE : WebConfig.load(webConfig);
        if (loaded.http().tls() != null && web.tlsServerConfig() != null) {
            throw new ConfigException(webConfig + ": tls_server_config and http.tls in " + config
                    + " both set TLS; keep one of them.");
        }
        boolean tls = loaded.http().tls() != null || web.tlsServerConfig() != null;
        System.out.println(CheckConfigOutput.ok(config, tokens + " token(s), http " + loaded.http().bind() + ":"
                + loaded.http().port() + (tls ? " with TLS" : "")
                + ", archive " + (loaded.archive().postgres() ? "PostgreSQL " : "SQLite ") + loaded.archive().describe()
                + (loaded.fleetFile() != null ? ", fleet file " + loaded.fleetFile() : "")
                + (web.basicAuth() ? ", basic auth for " + web.basicAuthUsers().size() + " user(s)" : "")));
        return ExitCodes.OK;
    }
}
