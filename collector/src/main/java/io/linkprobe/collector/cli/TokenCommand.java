package io.linkprobe.collector.cli;

import io.linkprobe.common.cli.ExitCodes;
import io.linkprobe.collector.CollectorMain;
import io.linkprobe.collector.auth.Tokens;
import io.linkprobe.common.wire.Names;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code token new --site S [--tokens-file F]}: issues a bearer token for one site. */
@Command(name = "token", mixinStandardHelpOptions = true, description = "Manage agents' bearer tokens.",
        subcommands = TokenCommand.New.class)
public final class TokenCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name a token command: new");
    }

    /**
     * Prints the token on the first line (for the agent's token_file) and the tokens-file line
     * (its SHA-256 and the site) on the last; with {@code --tokens-file} appends that line too.
     */
    @Command(name = "new", mixinStandardHelpOptions = true,
            description = "Print a new random token for a site and the line for the collector's tokens file.")
    static final class New implements Callable<Integer> {
        @Option(names = "--site", required = true, paramLabel = "SITE", description = "the site the token admits")
        String site;

        @Option(names = "--tokens-file", paramLabel = "FILE",
                description = "append the line to this tokens file (created, mode 600, if missing)")
        Path tokensFile;

        @Override
        public Integer call() {
            String problem = Names.nameProblem(site);
            if (problem != null) {
                System.err.println("--site " + problem + ".");
                return ExitCodes.USAGE;
            }
            String token = Tokens.newToken();
            String line = Tokens.fileLine(token, site);
            if (tokensFile != null) {
                try {
                    append(tokensFile, line);
                } catch (IOException e) {
                    System.err.println("cannot write " + tokensFile + " (" + e.getMessage()
                            + "); check the path and its permissions, or leave out --tokens-file and add the line yourself.");
                    return ExitCodes.FAILURE;
                }
            }
            System.out.println(token);
            System.out.println(tokensFile != null
                    ? "# the line below was added to " + tokensFile + " (a running collector admits it within 5 s); give the token above to site " + site + "'s agent (its token_file)"
                    : "# give the token above to site " + site + "'s agent (its token_file); add the line below to the collector's tokens file (re-read within 5 s, no restart)");
            System.out.println(line);
            return ExitCodes.OK;
        }

        private static void append(Path file, String line) throws IOException {
            if (!Files.exists(file)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            String text = Files.readString(file, StandardCharsets.UTF_8);
            String prefix = text.isEmpty() || text.endsWith("\n") ? "" : "\n";
            Files.writeString(file, prefix + line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        }
    }
}
