package io.linkprobe.collector.cli;

import io.linkprobe.common.auth.Tokens;
import io.linkprobe.collector.auth.TokensFileEdit;
import io.linkprobe.common.cli.ExitCodes;
import io.linkprobe.common.wire.Names;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code token new --site S [--tokens-file T]}: one site; prints the token on the first line (for
 * the agent's token_file) and the tokens-file line on the last, and appends that line with
 * {@code --tokens-file}.
 *
 * <p>{@code token new --sites-file FILE --tokens-file T --out-dir D}: every site id in FILE (one a
 * line; blank lines and {@code #} comments skipped) gets a token in {@code D/<site>.token} (mode
 * 600, never overwritten) and its hash line appended to T in one write. Nothing is written unless
 * every site id is valid and no token file is in the way.
 */
@Command(name = "new", mixinStandardHelpOptions = true,
        description = {"Issue new random tokens: for one site (--site), printed with the line for the collector's "
                + "tokens file; or for every site of a file (--sites-file), each written to OUT-DIR/<site>.token "
                + "and its line appended to the tokens file."})
final class TokenNewCommand implements Callable<Integer> {
    static final class Which {
        @Option(names = "--site", required = true, paramLabel = "SITE", description = "the site the token admits")
        String site;

        @Option(names = "--sites-file", required = true, paramLabel = "FILE", description = "site ids, one a line")
        Path sitesFile;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    @Option(names = "--tokens-file", paramLabel = "FILE",
            description = "append the line(s) to this tokens file (created, mode 600, if missing); required with --sites-file")
    Path tokensFile;

    @Option(names = "--out-dir", paramLabel = "DIR", description = "with --sites-file: where each site's token file goes")
    Path outDir;

    @Override
    public Integer call() {
        return which.site != null ? one() : many();
    }

    private int one() {
        String problem = Names.nameProblem(which.site);
        if (problem != null) {
            System.err.println("--site " + problem + ".");
            return ExitCodes.USAGE;
        }
        String token = Tokens.newToken();
        String line = Tokens.fileLine(token, which.site);
        if (tokensFile != null) {
            try {
                TokensFileEdit.append(tokensFile, List.of(line));
            } catch (IOException e) {
                System.err.println("cannot write " + tokensFile + " (" + e.getMessage()
                        + "); check the path and its permissions, or leave out --tokens-file and add the line yourself.");
                return ExitCodes.FAILURE;
            }
        }
        System.out.println(token);
        System.out.println(tokensFile != null
                ? "# the line below was added to " + tokensFile + " (a running collector admits it within 5 s); give the token above to site " + which.site + "'s agent (its token_file)"
                : "# give the token above to site " + which.site + "'s agent (its token_file); add the line below to the collector's tokens file (re-read within 5 s, no restart)");
        System.out.println(line);
        return ExitCodes.OK;
    }

    private int many() {
        if (tokensFile == null || outDir == null) {
            System.err.println("--sites-file needs --tokens-file (where the hash lines go) and --out-dir (where each "
                    + "site's token file goes).");
            return ExitCodes.USAGE;
        }
        List<String> sites;
        try {
            sites = readSites(which.sitesFile);
        } catch (IOException e) {
            System.err.println("cannot read " + which.sitesFile + " (" + e.getMessage() + "); check the path and its permissions.");
            return ExitCodes.FAILURE;
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return ExitCodes.USAGE;
        }
        if (sites.isEmpty()) {
            System.err.println(which.sitesFile + " names no site; write one site id a line.");
            return ExitCodes.USAGE;
        }
        List<String> inTheWay = sites.stream().filter(s -> Files.exists(outDir.resolve(s + ".token"))).toList();
        if (!inTheWay.isEmpty()) {
            System.err.println(outDir.resolve(inTheWay.get(0) + ".token") + " already exists" + (inTheWay.size() > 1
                    ? " (and " + (inTheWay.size() - 1) + " more)" : "") + "; token files are never overwritten: move them "
                    + "away, or leave those sites out of " + which.sitesFile + " (rotate one site with token new --site).");
            return ExitCodes.FAILURE;
        }
        List<Path> written = new ArrayList<>(sites.size());
        List<String> lines = new ArrayList<>(sites.size());
        try {
            Files.createDirectories(outDir);
            for (String site : sites) {
                String token = Tokens.newToken();
                Path file = outDir.resolve(site + ".token");
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                written.add(file);
                Files.writeString(file, token + "\n", StandardCharsets.UTF_8, StandardOpenOption.WRITE);
                lines.add(Tokens.fileLine(token, site));
            }
            TokensFileEdit.append(tokensFile, lines);
        } catch (IOException e) {
            // Token files without their hash line admit nobody: take them back so a rerun starts clean.
            for (Path p : written) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // Reported below as part of the failure; the rerun names any file left in the way.
                }
            }
            String what = e instanceof FileAlreadyExistsException ? e.getMessage() + " appeared meanwhile" : e.toString();
            System.err.println("enrolment failed (" + what + "); nothing was enrolled: " + tokensFile
                    + " is unchanged and the token files written were removed. Check the paths and permissions and run it again.");
            return ExitCodes.FAILURE;
        }
        System.out.println("enrolled " + sites.size() + " sites: " + sites.size() + " lines appended to " + tokensFile
                + " (a running collector admits them within 5 s); each site's token is in " + outDir
                + "/<site>.token (mode 600): install it as the agent's token_file and delete it here");
        return ExitCodes.OK;
    }

    /** The site ids of the file, in order; a bad or repeated one is an error naming its line. */
    static List<String> readSites(Path file) throws IOException {
        Map<String, Integer> sites = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            String site = (hash >= 0 ? line.substring(0, hash) : line).trim();
            if (site.isEmpty()) {
                continue;
            }
            String problem = Names.nameProblem(site);
            if (problem != null) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": site id " + problem + "; nothing was enrolled.");
            }
            Integer first = sites.putIfAbsent(site, i + 1);
            if (first != null) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": site '" + site + "' is already on line "
                        + first + "; list each site once. Nothing was enrolled.");
            }
        }
        return List.copyOf(sites.keySet());
    }
}
