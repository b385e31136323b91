package io.linkprobe.collector.load;

import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The load generator: simulated agents pushing realistic batches to a real collector. Test-tree
 * code, so it is not in the collector's jar; {@code bench/ingest.sh} runs it with the test classes
 * and the shaded jar on the classpath:
 *
 * <pre>
 * java -cp collector/target/test-classes:collector/target/linkprobe-collector.jar \
 *     io.linkprobe.collector.load.LoadMain prepare --dir /tmp/x --sites 10000
 * ... LoadMain steady --url http://127.0.0.1:9862 --agents-file /tmp/x/agents.tsv --agents 1000 --rate 5000
 * ... LoadMain storm  --url http://127.0.0.1:9862 --agents-file /tmp/x/agents.tsv --agents 10000 --windows 60
 * </pre>
 */
@Command(name = "linkprobe-load", mixinStandardHelpOptions = true,
        description = "Simulate linkprobe agents pushing to a collector.",
        subcommands = {LoadMain.Prepare.class, SteadyCommand.class, StormCommand.class, SeedRetentionCommand.class,
                CountCommand.class})
public final class LoadMain implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new LoadMain()).execute(args));
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: prepare, steady, storm, seed-retention, count");
    }

    /** {@code prepare}: the tokens file for the collector and the agents' tokens. */
    @Command(name = "prepare", description = "Write DIR/tokens (collector) and DIR/agents.tsv (agents) for N sites.")
    static final class Prepare implements Callable<Integer> {
        @Option(names = "--dir", required = true)
        Path dir;

        @Option(names = "--sites", required = true)
        int sites;

        @Override
        public Integer call() throws Exception {
            Roster.write(dir, sites);
            System.err.println("wrote " + sites + " sites to " + dir.resolve(Roster.TOKENS_FILE) + " and "
                    + dir.resolve(Roster.AGENTS_FILE));
            return 0;
        }
    }

    /** Options every load phase takes. */
    static final class Common {
        @Option(names = "--url", required = true, description = "the collector, e.g. http://127.0.0.1:9862")
        URI url;

        @Option(names = "--agents-file", required = true, description = "agents.tsv written by prepare")
        Path agentsFile;

        @Option(names = "--agents", required = true, description = "simulated agents (the first N sites)")
        int agents;

        @Option(names = "--targets", defaultValue = "3", description = "targets each agent probes (default ${DEFAULT-VALUE})")
        int targets;

        @Option(names = "--threads", defaultValue = "2", description = "event loops (default ${DEFAULT-VALUE})")
        int threads;

        @Option(names = "--seed", defaultValue = "4", description = "seed of the link archetypes")
        long seed;

        @Option(names = "--watch-pid", defaultValue = "0",
                description = "the collector's pid: report its CPU use and CPU waiting (Linux /proc)")
        long watchPid;

        /** A watch of the collector's CPU, or null when not asked for. */
        ProcWatch watch() {
            return watchPid > 0 ? new ProcWatch(watchPid) : null;
        }

        String[] targetNames() {
            String[] names = {"hub", "hub-dr", "cloud-uks", "cloud-ukw", "dns"};
            return targets <= names.length ? Arrays.copyOf(names, targets)
                    : IntStream.range(0, targets).mapToObj(i -> "target-" + i).toArray(String[]::new);
        }
    }
}
