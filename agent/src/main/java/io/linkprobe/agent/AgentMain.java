package io.linkprobe.agent;

import io.linkprobe.agent.cli.CheckConfigCommand;
import io.linkprobe.agent.cli.ResponderCommand;
import io.linkprobe.agent.cli.RunCommand;
import io.linkprobe.agent.cli.TestCommand;
import io.linkprobe.common.cli.BuildInfo;
import io.linkprobe.common.cli.ExitCodes;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code linkprobe-agent}: measures a site's link and pushes the results to a collector. */
@Command(name = "linkprobe-agent",
        mixinStandardHelpOptions = true,
        versionProvider = AgentMain.Version.class,
        description = "Measures a site's link (latency, jitter, loss, throughput, bufferbloat) and pushes results to a linkprobe collector.",
        subcommands = {RunCommand.class, TestCommand.class, ResponderCommand.class, CheckConfigCommand.class,
            CommandLine.HelpCommand.class})
public final class AgentMain implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the CLI and returns the exit code (tests call this instead of {@link #main}). */
    public static int execute(String... args) {
        return ExitCodes.configure(new CommandLine(new AgentMain())).execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required (run, test, responder, check-config)");
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {BuildInfo.current().versionLine("linkprobe-agent")};
        }
    }
}
