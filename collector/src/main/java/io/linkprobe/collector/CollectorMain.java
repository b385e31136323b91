package io.linkprobe.collector;

import io.linkprobe.collector.cli.CheckConfigCommand;
import io.linkprobe.collector.cli.PlanCommand;
import io.linkprobe.collector.cli.RunCommand;
import io.linkprobe.collector.cli.TokenCommand;
import io.linkprobe.common.cli.ExitCodes;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar linkprobe-collector.jar <command>}. Exit codes: 0 ok, 1 failure, 2 usage or
 * configuration error.
 */
@Command(name = "linkprobe-collector", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Central collector of linkprobe: ingests agents' results, archives them, exposes Prometheus metrics.",
        subcommands = {RunCommand.class, CheckConfigCommand.class, TokenCommand.class, PlanCommand.class,
            CommandLine.HelpCommand.class})
public final class CollectorMain implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with every subcommand, exit codes as documented above. */
    public static CommandLine commandLine() {
        return ExitCodes.configure(new CommandLine(new CollectorMain()));
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "name a command: run, check-config, token or plan (see --help)");
    }
}
