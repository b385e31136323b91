package io.linkprobe.demo;

import io.linkprobe.agent.config.AgentConfig;
import io.linkprobe.agent.config.LatencySettings;
import io.linkprobe.agent.config.ThroughputSettings;
import io.linkprobe.agent.config.VideoSettings;
import io.linkprobe.agent.runtime.AgentRuntime;
import io.linkprobe.agent.runtime.AgentState;
import io.linkprobe.collector.Collector;
import io.linkprobe.collector.CollectorStartException;
import io.linkprobe.common.auth.Tokens;
import io.linkprobe.collector.config.CollectorConfig;
import io.linkprobe.collector.responder.CommonResponders;
import io.linkprobe.collector.responder.ResponderPart;
import io.linkprobe.common.cli.BuildInfo;
import io.linkprobe.common.cli.DurationConverter;
import io.linkprobe.common.cli.ExitCodes;
import io.linkprobe.common.config.ConfigException;
import io.linkprobe.common.config.Durations;
import io.linkprobe.common.config.SettingRules;
import io.linkprobe.common.net.DefaultPorts;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar linkprobe-demo.jar}: a whole linkprobe on loopback in one process, a collector
 * with its embedded responder (on unprivileged ports) and an agent for site {@code demo} measuring
 * towards it with short windows, so /metrics fills within seconds. Everything lives in a temporary
 * directory removed on exit. It is a module of its own so that neither the collector nor the agent
 * carries the other.
 */
@Command(name = "linkprobe-demo", mixinStandardHelpOptions = true, versionProvider = DemoCommand.Version.class,
        description = "Run a collector and an in-process agent (site 'demo') on loopback; Ctrl-C stops both.")
public final class DemoCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    io.linkprobe.common.log.LogOptions logOptions;

    @Option(names = "--http-port", defaultValue = "" + DefaultPorts.COLLECTOR_HTTP, paramLabel = "PORT",
            description = "collector HTTP port on 127.0.0.1 (default ${DEFAULT-VALUE}); 0 = any free port")
    int httpPort;

    @Option(names = "--window", defaultValue = "5s", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "the agent's window (default ${DEFAULT-VALUE}; production uses 60s)")
    Duration window;

    @Option(names = "--link", defaultValue = "loopback", paramLabel = "TYPE",
            description = "the site's link label (default ${DEFAULT-VALUE}); e.g. fttp to see the full-fibre panels and alerts")
    String link;

    @Option(names = "--throughput-every", defaultValue = "1m", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "the agent's throughput test period (default ${DEFAULT-VALUE}, at least 1m; production uses 4h)")
    Duration throughputEvery;

    public static void main(String[] args) {
        System.exit(ExitCodes.configure(new CommandLine(new DemoCommand())).execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        Path dir;
        try {
            dir = Files.createTempDirectory("linkprobe-demo-");
        } catch (IOException e) {
            System.err.println("cannot create a temporary directory (" + e.getMessage() + "); set java.io.tmpdir to a writable place.");
            return ExitCodes.FAILURE;
        }
        Collector collector = null;
        AgentRuntime agent = null;
        try {
            String token = Tokens.newToken();
            Path tokens = Files.writeString(dir.resolve("tokens"), Tokens.fileLine(token, "demo") + "\n");
            // The site's token is also the key that signs throughput tests: written out so that a
            // one-shot `linkprobe-agent test` can sign its own against this demo.
            Path tokenFile = Files.writeString(dir.resolve("token"), token + "\n");
            try {
                SettingRules.window(window);
                SettingRules.throughputEvery(throughputEvery);
            } catch (IllegalArgumentException e) {
                System.err.println("error: " + e.getMessage() + ".");
                close(agent, collector, dir);
                return ExitCodes.USAGE;
            }
            CollectorConfig config = CollectorConfig.defaults(tokens)
                    .withFleetFile(Files.writeString(dir.resolve("fleet.yml"), fleet(null)))
                    .withHttp(CollectorConfig.Http.loopback(httpPort))
                    .withArchive(CollectorConfig.Archive.sqlite(dir.resolve("archive.db")))
                    // Any free ports: the demo must not need root (862) nor clash with a real responder.
                    // Two tests at once: the printed one-shot test is not turned away as busy while
                    // the demo's own agent runs its scheduled one.
                    .withResponder(new CollectorConfig.Responder(true, 0, 0, 2, null, null));
            collector = Collector.start(config, Collector.Options.defaults().withResponders(new CommonResponders("127.0.0.1")));
            int stampPort = collector.responder().port(ResponderPart.STAMP).orElseThrow();
            int throughputPort = collector.responder().port(ResponderPart.THROUGHPUT).orElseThrow();
            // Now that the ports are known: the plan's target, with the TCP connect probe on the
            // collector's HTTP port (a responder target alone has no connect port).
            Files.writeString(dir.resolve("fleet.yml"), fleet("[{name: collector, host: 127.0.0.1, stamp_port: " + stampPort
                    + ", connect_port: " + collector.httpPort() + "}]"));
            io.linkprobe.collector.reload.LiveConfig.Outcome reloaded = collector.reload("demo");
            if (!reloaded.ok()) {
                System.err.println("error: the demo's own fleet file was refused (" + reloaded.problem() + "); this is a bug.");
                close(agent, collector, dir);
                return ExitCodes.FAILURE;
            }

            AgentConfig agentConfig;
            try {
                agentConfig = agentConfig(dir, collector.httpPort());
            } catch (IllegalArgumentException e) {
                System.err.println("error: " + e.getMessage() + ".");
                close(agent, collector, dir);
                return ExitCodes.USAGE;
            }
            agent = AgentRuntime.start(agentConfig, io.linkprobe.agent.push.AgentToken.fixed(token), null,
                    AgentState.open(dir.resolve("agent"), null), ExitCodes.version(DemoCommand.class));

            String base = "http://127.0.0.1:" + collector.httpPort();
            System.out.println("linkprobe demo running (site 'demo', " + Durations.format(window) + " windows):");
            System.out.println("  status page   " + base + "/");
            System.out.println("  metrics       " + base + "/metrics");
            System.out.println("  sites (JSON)  " + base + "/api/v1/sites");
            System.out.println("  responder     STAMP udp 127.0.0.1:" + stampPort + ", throughput tcp 127.0.0.1:" + throughputPort);
            System.out.println("  key file      " + tokenFile + " (site 'demo')");
            System.out.println("  one-shot test " + testCommand(stampPort, throughputPort, tokenFile));
            System.out.println("First latency window in ~" + Durations.format(window) + "; first throughput test within "
                    + Durations.format(throughputEvery) + " (the collector's plan gives its slot). Ctrl-C stops.");
            System.out.flush();

            CountDownLatch stop = new CountDownLatch(1);
            Collector c = collector;
            AgentRuntime a = agent;
            CountDownLatch closed = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stop.countDown();
                a.close();
                c.close();
                deleteQuietly(dir);
                closed.countDown();
            }, "demo-shutdown"));
            stop.await();
            closed.await();
            return ExitCodes.OK;
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            close(agent, collector, dir);
            return ExitCodes.USAGE;
        } catch (CollectorStartException e) {
            System.err.println(e.getMessage() + (httpPort == DefaultPorts.COLLECTOR_HTTP ? " (try --http-port 0)" : ""));
            close(agent, collector, dir);
            return ExitCodes.FAILURE;
        } catch (IOException e) {
            System.err.println("cannot prepare the demo in " + dir + " (" + e.getMessage() + ").");
            close(agent, collector, dir);
            return ExitCodes.FAILURE;
        }
    }

    /** The command line, from the repository root, that measures this demo's responder as a site would. */
    static String testCommand(int stampPort, int throughputPort, Path keyFile) {
        return "java -jar agent/target/linkprobe-agent.jar test 127.0.0.1 --stamp-port " + stampPort
                + " --throughput-port " + throughputPort + " --key-file " + keyFile + " --key-id demo --duration 3s";
    }

    /**
     * The demo collector's fleet file: what every site measures, so the plan the agent fetches is the
     * demo's (short windows, a throughput test every --throughput-every) and not the production
     * defaults a collector without a fleet file plans (60 s windows, a test every 4 h).
     *
     * @param targets the latency and connect targets as a YAML flow list; null before the ports are
     *     known (the site then measures latency towards its responder, the collector's own)
     */
    String fleet(String targets) {
        // Short, capped throughput tests: loopback runs at many Gbit/s.
        return "defaults:\n"
                + (targets == null ? "" : "  targets: " + targets + "\n")
                + "  window: " + Durations.format(window) + "\n"
                + "  latency: {interval: 100ms}\n"
                + "  throughput: {enabled: true, every: " + Durations.format(throughputEvery)
                + ", duration: 3s, direction: both, streams: 1, max_bytes_per_test: " + (512L << 20) + "}\n"
                // A short call and a short ladder (to 4 calls) every 2 minutes in its own slot, so the
                // status page's video column and the dashboards' video panels fill while one watches.
                + "  video: {enabled: true, every: 2m, duration: 5s, step_duration: 2s, max_calls: 4}\n";
    }

    /**
     * The agent's own config: no targets of its own (the plan brings them), and the same settings as
     * the fleet file for the moment before the plan arrives.
     */
    private AgentConfig agentConfig(Path dir, int httpPort) {
        Duration windowDuration = window;
        Duration every = throughputEvery;
        ThroughputSettings throughput = new ThroughputSettings(true, every, Duration.ofSeconds(3),
                1, "both", 512L << 20, 0L, null, null, null, null, null, null, null, null);
        // A short call and a short ladder every 2 minutes, the first within half a minute, so the
        // status page's video column fills while one watches.
        VideoSettings video = new VideoSettings(true, Duration.ofMinutes(2), null, null, Duration.ofSeconds(5),
                Duration.ofSeconds(2), 4, null, null, null, null, Duration.ofSeconds(10), Duration.ofSeconds(30), null,
                null, null);
        return new AgentConfig("demo", null, dir.resolve("agent"),
                new AgentConfig.CollectorEndpoint(URI.create("http://127.0.0.1:" + httpPort), dir.resolve("token"), null, null,
                        null, null),
                Map.of("region", "demo", "link", link), new AgentConfig.Expected(1000.0, 1000.0), windowDuration,
                new LatencySettings(Duration.ofMillis(100), null, null, null), null, throughput, video, null, List.of());
    }

    private static void close(AgentRuntime agent, Collector collector, Path dir) {
        if (agent != null) {
            agent.close();
        }
        if (collector != null) {
            collector.close();
        }
        deleteQuietly(dir);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {BuildInfo.current().versionLine("linkprobe-demo")};
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover temp directory is harmless.
        }
    }
}
