package io.linkprobe.collector.cli;

import io.linkprobe.common.auth.TokenStore;
import io.linkprobe.collector.auth.TokensFileEdit;
import io.linkprobe.common.cli.ExitCodes;
import io.linkprobe.common.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code token new | list | revoke}: enrol sites (one, or thousands from a file), see who holds
 * tokens, and take a site's tokens away. The tokens file holds only hashes; a running collector
 * picks every change up within 5 s.
 */
@Command(name = "token", mixinStandardHelpOptions = true, description = "Manage agents' bearer tokens.",
        subcommands = {TokenNewCommand.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class})
public final class TokenCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name a token command: new, list or revoke");
    }

    /** Sites and how many tokens each holds; never a token or a hash. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the sites of a tokens file and how many tokens each holds (2 during a rotation).")
    static final class ListTokens implements Callable<Integer> {
        @Option(names = "--tokens-file", required = true, paramLabel = "FILE", description = "the collector's tokens file")
        Path tokensFile;

        @Override
        public Integer call() {
            TokenStore store;
            try {
                store = TokenStore.load(tokensFile);
            } catch (ConfigException e) {
                System.err.println(e.getMessage());
                return ExitCodes.USAGE;
            }
            Map<String, Integer> counts = store.tokensPerSite();
            for (Map.Entry<String, Integer> e : counts.entrySet()) {
                System.out.println(e.getKey() + " " + e.getValue());
            }
            System.out.println("# " + counts.size() + " sites, " + store.size() + " tokens");
            return ExitCodes.OK;
        }
    }

    /** Removes every line of one site, atomically (the file is replaced, never half-written). */
    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Remove every token of a site from a tokens file; a running collector refuses the site within 5 s.")
    static final class Revoke implements Callable<Integer> {
        @Option(names = "--site", required = true, paramLabel = "SITE", description = "the site whose tokens go")
        String site;

        @Option(names = "--tokens-file", required = true, paramLabel = "FILE", description = "the collector's tokens file")
        Path tokensFile;

        @Override
        public Integer call() {
            List<String> lines;
            try {
                // A file the collector would refuse is not rewritten: fix it first.
                TokenStore.load(tokensFile);
                lines = Files.readAllLines(tokensFile);
            } catch (ConfigException e) {
                System.err.println(e.getMessage());
                return ExitCodes.USAGE;
            } catch (IOException e) {
                System.err.println("cannot read " + tokensFile + " (" + e.getMessage() + "); check the path and its permissions.");
                return ExitCodes.FAILURE;
            }
            List<String> kept = new ArrayList<>(lines.size());
            int removed = 0;
            for (String line : lines) {
                if (site.equals(TokenStore.siteOfLine(line))) {
                    removed++;
                } else {
                    kept.add(line);
                }
            }
            if (removed == 0) {
                System.err.println("site '" + site + "' holds no token in " + tokensFile + "; nothing was changed.");
                return ExitCodes.FAILURE;
            }
            try {
                TokensFileEdit.replace(tokensFile, kept);
            } catch (IOException e) {
                System.err.println("cannot rewrite " + tokensFile + " (" + e.getMessage()
                        + "); it is unchanged: check the permissions of the file and its directory.");
                return ExitCodes.FAILURE;
            }
            System.out.println("revoked " + removed + (removed == 1 ? " token" : " tokens") + " of site " + site + " in "
                    + tokensFile + "; a running collector refuses the site within 5 s");
            return ExitCodes.OK;
        }
    }
}
