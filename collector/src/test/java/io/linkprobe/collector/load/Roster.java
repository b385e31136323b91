package io.linkprobe.collector.load;

import io.linkprobe.common.auth.Tokens;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The simulated region: N sites, each with its own bearer token. {@link #write} makes the
 * collector's tokens file (SHA-256 lines, exactly as {@code token new} prints them) and the
 * agents' side ({@code site token} per line), which the load runs read back.
 */
final class Roster {
    static final String TOKENS_FILE = "tokens";
    static final String AGENTS_FILE = "agents.tsv";

    /** One site and the token its agent pushes with. */
    record Entry(int index, String site, String token) {}

    private Roster() {}

    static String siteName(int index) {
        return String.format("site-%05d", index);
    }

    /** Writes {@code dir/tokens} (for the collector) and {@code dir/agents.tsv} (for the agents). */
    static void write(Path dir, int sites) throws IOException {
        StringBuilder tokens = new StringBuilder("# linkprobe load test: one token per simulated site\n");
        StringBuilder agents = new StringBuilder();
        for (int i = 0; i < sites; i++) {
            String site = siteName(i);
            String token = Tokens.newToken();
            tokens.append(Tokens.fileLine(token, site)).append('\n');
            agents.append(site).append(' ').append(token).append('\n');
        }
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(TOKENS_FILE), tokens, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(AGENTS_FILE), agents, StandardCharsets.UTF_8);
    }

    /** The first {@code count} sites of an agents file. */
    static List<Entry> read(Path agentsFile, int count) throws IOException {
        List<Entry> entries = new ArrayList<>(count);
        for (String line : Files.readAllLines(agentsFile, StandardCharsets.UTF_8)) {
            if (entries.size() == count) {
                break;
            }
            String[] parts = line.trim().split("\\s+");
            if (parts.length == 2) {
                entries.add(new Entry(entries.size(), parts[0], parts[1]));
            }
        }
        if (entries.size() < count) {
            throw new IllegalArgumentException(agentsFile + " holds " + entries.size() + " sites, not " + count
                    + "; run 'prepare --sites " + count + "' first");
        }
        return entries;
    }
}
