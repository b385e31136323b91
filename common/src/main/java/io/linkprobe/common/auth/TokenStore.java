package io.linkprobe.common.auth;

import io.linkprobe.common.config.ConfigException;
import io.linkprobe.common.wire.Names;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The tokens file: one {@code <sha256-hex> <site>} per line, {@code #} starts a comment, blank
 * lines are ignored. Read by the collector (who may push, and the throughput keys of its embedded
 * responder) and by a standalone responder of the pool ({@code agent responder --tokens-file}),
 * so one parser serves both. Several tokens may admit the same site (rotation: add the new one, move the
 * agent, remove the old one). Each token admits exactly one site.
 *
 * <p>Looking a token up by its hash in a map leaks, through timing, at most how a hash compares
 * with others, which tells nothing about any token; so no constant-time compare is needed.
 */
public final class TokenStore {
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

    private final Map<String, String> siteByHash;
    private final Map<String, List<byte[]>> keysBySite;

    private TokenStore(Map<String, String> siteByHash) {
        this.siteByHash = Map.copyOf(siteByHash);
        Map<String, List<byte[]>> keys = new HashMap<>();
        siteByHash.forEach((hex, site) ->
                keys.computeIfAbsent(site, s -> new ArrayList<>()).add(HexFormat.of().parseHex(hex)));
        keys.replaceAll((site, list) -> List.copyOf(list));
        this.keysBySite = Map.copyOf(keys);
    }

    public static TokenStore load(Path file) throws ConfigException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read the tokens file (" + e.getMessage()
                    + "); check the path and its permissions.");
        }
        Map<String, String> sites = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String[] parts = fields(lines.get(i));
            if (parts == null) {
                continue;
            }
            String where = file + ":" + (i + 1) + ": ";
            if (parts.length != 2) {
                throw new ConfigException(where + "expected '<sha256-hex> <site>'; "
                        + "use the line printed by 'linkprobe-collector token new --site SITE'.");
            }
            String hex = parts[0].toLowerCase(java.util.Locale.ROOT);
            if (!HASH.matcher(hex).matches()) {
                throw new ConfigException(where + "'" + parts[0] + "' is not a SHA-256 hex digest; the file holds "
                        + "hashes, not tokens: use the line printed by 'linkprobe-collector token new'.");
            }
            String problem = Names.nameProblem(parts[1]);
            if (problem != null) {
                throw new ConfigException(where + "site " + problem + ".");
            }
            String previous = sites.put(hex, parts[1]);
            if (previous != null && !previous.equals(parts[1])) {
                throw new ConfigException(where + "this token is already given to site '" + previous
                        + "'; a token admits one site, so remove one of the two lines.");
            }
        }
        return new TokenStore(sites);
    }

    /** The fields of a line, or null for a blank or comment line. */
    private static String[] fields(String line) {
        int hash = line.indexOf('#');
        String content = (hash >= 0 ? line.substring(0, hash) : line).trim();
        return content.isEmpty() ? null : content.split("\\s+");
    }

    /** The site a line of a valid tokens file admits, or null for a blank or comment line. */
    public static String siteOfLine(String line) {
        String[] parts = fields(line);
        return parts == null || parts.length < 2 ? null : parts[1];
    }

    public static TokenStore of(Map<String, String> siteByToken) {
        Map<String, String> byHash = new LinkedHashMap<>();
        siteByToken.forEach((token, site) -> byHash.put(Tokens.sha256Hex(token), site));
        return new TokenStore(byHash);
    }

    /** The site a bearer token admits, or empty if the token is unknown. */
    public Optional<String> siteFor(String token) {
        if (token == null || token.isEmpty() || token.length() > 512) {
            return Optional.empty();
        }
        return Optional.ofNullable(siteByHash.get(Tokens.sha256Hex(token)));
    }

    /**
     * The HMAC keys a site's agent may sign throughput tests with: SHA-256 of each of its tokens,
     * which is exactly the hash this file stores (see {@code ThroughputKeys.derive}), so the
     * collector never needs a token itself. During a rotation (two lines for one site) both keys
     * are accepted, as both tokens may push. Empty for an unknown site.
     */
    public List<byte[]> throughputKeys(String site) {
        List<byte[]> keys = keysBySite.get(site);
        return keys == null ? List.of() : keys.stream().map(byte[]::clone).toList();
    }

    /** How many tokens each site holds (two during a rotation), by site. */
    public java.util.SortedMap<String, Integer> tokensPerSite() {
        java.util.SortedMap<String, Integer> counts = new java.util.TreeMap<>();
        keysBySite.forEach((site, keys) -> counts.put(site, keys.size()));
        return counts;
    }

    /** The sites that hold at least one token. */
    public java.util.Set<String> sites() {
        return keysBySite.keySet();
    }

    public int size() {
        return siteByHash.size();
    }
}
