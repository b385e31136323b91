package io.linkprobe.collector.cli;

import io.linkprobe.common.cli.ExitCodes;
import io.linkprobe.collector.Collector;
import io.linkprobe.collector.CollectorMain;
import io.linkprobe.collector.CollectorStartException;
import io.linkprobe.collector.config.CollectorConfig;
import io.linkprobe.collector.reload.Hangup;
import io.linkprobe.collector.config.WebConfig;
import io.linkprobe.common.config.ConfigException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code run --config collector.yml}: serves until SIGINT/SIGTERM, then stops cleanly; SIGHUP reloads. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run the collector.")
public final class RunCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    io.linkprobe.common.log.LogOptions logOptions;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "collector.yml")
    Path config;

    @Option(names = "--web.config.file", paramLabel = "FILE",
            description = "TLS and basic auth for /metrics, the status page and /api/v1 reads, in the Prometheus "
                    + "exporter-toolkit format (tls_server_config, basic_auth_users); pushes keep their tokens")
    Path webConfig;

    @Override
    public Integer call() throws InterruptedException, ConfigException {
        CollectorConfig loaded = CollectorConfig.load(config);
        WebConfig web = webConfig == null ? WebConfig.NONE : WebConfig.load(webConfig);
        Collector collector;
        try {
            collector = Collector.start(loaded, Collector.Options.defaults().withWeb(web));
        } catch (CollectorStartException e) {
            System.err.println("error: " + e.getMessage());
            return e.configError() ? ExitCodes.USAGE : ExitCodes.FAILURE;
        }
        // systemctl reload (ExecReload=kill -HUP) re-reads the tokens and fleet files without a restart.
        Hangup.onSignal(() -> collector.reload("SIGHUP"));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            collector.close();
            stopped.countDown();
        }, "collector-shutdown"));
        stopped.await();
        return ExitCodes.OK;
    }
}
