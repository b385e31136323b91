package io.linkprobe.agent.cli;

import io.linkprobe.agent.AgentMain;
import io.linkprobe.agent.config.AgentConfig;
import io.linkprobe.agent.push.AgentToken;
import io.linkprobe.agent.runtime.AgentRuntime;
import io.linkprobe.agent.runtime.AgentState;
import io.linkprobe.common.cli.ExitCodes;
import io.linkprobe.common.config.ConfigException;
import io.linkprobe.common.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.SSLContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the agent until stopped (SIGTERM / Ctrl-C), measuring continuously and pushing results. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Measure the site's link continuously and push results to the collector.")
public final class RunCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    io.linkprobe.common.log.LogOptions logOptions;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "agent config (YAML)")
    Path config;

    @Override
    public Integer call() throws ConfigException, InterruptedException {
        AgentConfig cfg = ConfigLoader.load(config, AgentConfig.class);
        AgentToken token = new AgentToken(cfg.collector().tokenFile(), AgentSetup.readToken(cfg, config));
        SSLContext collectorTls = AgentSetup.collectorTls(cfg);
        AgentState state;
        try {
            state = AgentState.open(cfg.stateDir(), cfg.agentId());
        } catch (IOException e) {
            throw new ConfigException("state_dir " + cfg.stateDir() + " is not writable (" + e.getMessage()
                    + "); create it for the agent's user or set state_dir in " + config + ".");
        }
        AgentRuntime runtime;
        try {
            runtime = AgentRuntime.start(cfg, token, collectorTls, state, ExitCodes.version(AgentMain.class));
        } catch (IOException e) {
            throw new ConfigException(e.getMessage() + "; set spool.path in " + config + " to a writable file.");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            runtime.close();
            stopped.countDown();
        }, "linkprobe-shutdown"));
        stopped.await();
        return ExitCodes.OK;
    }
}
