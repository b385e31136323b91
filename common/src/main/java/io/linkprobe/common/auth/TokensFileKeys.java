package io.linkprobe.common.auth;

import io.linkprobe.common.config.ConfigException;
import io.linkprobe.common.config.FileStamp;
import io.linkprobe.common.throughput.server.KeyLookup;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The throughput keys of every site in a copy of the collector's tokens file, for a standalone
 * responder in the collector's pool: each site signs its tests with the key derived from its own
 * token, which is exactly the hash the file holds, so the hub needs no secret of its own. The
 * file is re-read when it changes ({@link #reloadIfChanged}, called every few seconds); a copy that
 * does not parse, or has gone, is logged once and the keys already loaded stay in force, as in
 * the collector.
 */
public final class TokensFileKeys implements KeyLookup {
    private static final Logger log = LoggerFactory.getLogger(TokensFileKeys.class);

    private final Path file;
    private volatile TokenStore tokens;
    private FileStamp loaded;
    private String lastProblem;

    private TokensFileKeys(Path file, TokenStore tokens, FileStamp loaded) {
        this.file = file;
        this.tokens = tokens;
        this.loaded = loaded;
    }

    /** Reads the file once; a bad file here is a start-up error. */
    public static TokensFileKeys open(Path file) throws ConfigException {
        FileStamp stamp = FileStamp.of(file);
        return new TokensFileKeys(file, TokenStore.load(file), stamp);
    }

    @Override
    public List<byte[]> keysFor(String site) {
        return tokens.throughputKeys(site);
    }

    /** The tokens in force. */
    public TokenStore tokens() {
        return tokens;
    }

    /** Re-reads the file if it changed since it was last read; true when new keys are in force. */
    public synchronized boolean reloadIfChanged() {
        FileStamp now = FileStamp.of(file);
        if (now.equals(loaded)) {
            return false;
        }
        loaded = now;
        TokenStore next;
        try {
            if (now.size() == -1) {
                throw new ConfigException(file + ": the tokens file is gone");
            }
            next = TokenStore.load(file);
        } catch (ConfigException e) {
            String problem = e.getMessage() + "; keeping the keys of the " + tokens.sites().size()
                    + " sites already loaded until the file is fixed.";
            if (!problem.equals(lastProblem)) {
                log.error(problem);
                lastProblem = problem;
            }
            return false;
        }
        lastProblem = null;
        int before = tokens.sites().size();
        tokens = next;
        log.info("tokens file {} re-read: keys of {} sites (was {})", file, next.sites().size(), before);
        return true;
    }
}
