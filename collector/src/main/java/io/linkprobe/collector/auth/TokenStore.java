package io.linkprobe.collector.auth;

import io.linkprobe.collector.ingest.Names;
import io.linkprobe.common.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The tokens file: one {@code <sha256-hex> <site>} per line, {@code #} starts a comment, blank
 * lines are ignored. Several tokens may admit the same site (rotation: add the new one, move the
 * agent, remove the old one). Each token admits exactly one site.
 *
 * <p>Looking a token up by its hash in a map leaks, through timing, at most how a hash compares
 * with others, which tells nothing about any token; so no constant-time compare is needed.
 */
public final class TokenStore {
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

    private final Map<String, String> siteByHash;
    private final Map<String, String> newestHashBySite;

    private TokenStore(Map<String, String> siteByHash, Map<String, String> newestHashBySite) {
        this.siteByHash = Map.copyOf(siteByHash);
        this.newestHashBySite = Map.copyOf(newestHashBySite);
    }

    public static TokenStore load(Path file) throws ConfigException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read the tokens file (" + e.getMessage()
                    + "); check the path in 'tokens_file' and its permissions.");
        }
        Map<String, String> sites = new HashMap<>();
        Map<String, String> newest = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            String content = (hash >= 0 ? line.substring(0, hash) : line).trim();
            if (content.isEmpty()) {
                continue;
            }
            String where = file + ":" + (i + 1) + ": ";
            String[] parts = content.split("\\s+");
            if (parts.length != 2) {
                throw new ConfigException(where + "expected '<sha256-hex> <site>'; "
                        + "use the line printed by 'linkprobe-collector token new --site SITE'.");
            }
            String hex = parts[0].toLowerCase(java.util.Locale.ROOT);
            if (!HASH.matcher(hex).matches()) {
                throw new ConfigException(where + "'" + parts[0] + "' is not a SHA-256 hex digest; the file holds "
                        + "hashes, not tokens: use the line printed by 'linkprobe-collector token new'.");
            }
            String problem = Names.problem(parts[1], Names.MAX_SITE_LENGTH);
            if (problem != null) {
                throw new ConfigException(where + "site " + problem + ".");
            }
            newest.put(parts[1], hex);
            String previous = sites.put(hex, parts[1]);
            if (previous != null && !previous.equals(parts[1])) {
                throw new ConfigException(where + "this token is already given to site '" + previous
                        + "'; a token admits one site, so remove one of the two lines.");
            }
        }
        return new TokenStore(sites, newest);
    }

    public static TokenStore of(Map<String, String> siteByToken) {
        Map<String, String> byHash = new HashMap<>();
        Map<String, String> newest = new HashMap<>();
        siteByToken.forEach((token, site) -> {
            byHash.put(Tokens.sha256Hex(token), site);
            newest.put(site, Tokens.sha256Hex(token));
        });
        return new TokenStore(byHash, newest);
    }

    /** The site a bearer token admits, or empty if the token is unknown. */
    public Optional<String> siteFor(String token) {
        if (token == null || token.isEmpty() || token.length() > 512) {
            return Optional.empty();
        }
        return Optional.ofNullable(siteByHash.get(Tokens.sha256Hex(token)));
    }

    /**
     * The HMAC key a site's agent signs throughput tests with: SHA-256 of its token, which is
     * exactly the hash this file stores (see {@code ThroughputKeys.derive}), so the collector never
     * needs the token itself. During a rotation (two lines for one site) the line listed last wins:
     * an agent still on the older token can push but its throughput tests are refused until it
     * moves to the new token.
     */
    public Optional<byte[]> throughputKey(String site) {
        String hex = newestHashBySite.get(site);
        return hex == null ? Optional.empty() : Optional.of(java.util.HexFormat.of().parseHex(hex));
    }

    public int size() {
        return siteByHash.size();
    }
}
