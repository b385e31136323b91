package io.linkprobe.collector.auth;

import io.linkprobe.common.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tokens file of a running collector: read at start, then re-read whenever it changes, so
 * adding a site ({@code token new --site S --tokens-file F}) or rotating a token needs no restart.
 *
 * <p>A change is noticed by modification time, size or file identity (an editor that writes a new
 * file and renames it over the old one). A file that no longer parses, or that has gone, is
 * reported once with its reason and the tokens already loaded stay in force: a typo in one line
 * must not lock every site out.
 */
public final class TokensFile implements Supplier<TokenStore> {
    private static final Logger log = LoggerFactory.getLogger(TokensFile.class);

    /** What the reload outcome was, for the self-metrics. */
    public enum Reload { UNCHANGED, RELOADED, FAILED }

    private final Path path;
    private volatile TokenStore current;
    private Stamp loaded;
    private String lastProblem;

    private TokensFile(Path path, TokenStore current, Stamp loaded) {
        this.path = path;
        this.current = current;
        this.loaded = loaded;
    }

    /** Reads the file once; a bad file here is a start-up error. */
    public static TokensFile open(Path path) throws ConfigException {
        Stamp before = Stamp.of(path);
        return new TokensFile(path, TokenStore.load(path), before);
    }

    /** The tokens in force now. */
    @Override
    public TokenStore get() {
        return current;
    }

    /**
     * Re-reads the file if it has changed since the last read. Called from one thread (the
     * collector's maintenance thread).
     */
    public synchronized Reload reloadIfChanged() {
        Stamp now = Stamp.of(path);
        if (now.equals(loaded)) {
            return Reload.UNCHANGED;
        }
        if (now.missing()) {
            return failed(path + ": the tokens file is gone; keeping the " + current.size()
                    + " tokens already loaded until it is back.");
        }
        TokenStore next;
        try {
            next = TokenStore.load(path);
        } catch (ConfigException e) {
            return failed(e.getMessage() + " Keeping the " + current.size()
                    + " tokens already loaded; the file is read again when it changes.");
        }
        int before = current.size();
        current = next;
        loaded = now;
        lastProblem = null;
        log.info("tokens file {} re-read: {} tokens (was {})", path, next.size(), before);
        return Reload.RELOADED;
    }

    private Reload failed(String problem) {
        if (!problem.equals(lastProblem)) {
            log.error(problem);
            lastProblem = problem;
        }
        return Reload.FAILED;
    }

    /** What identifies one version of the file. */
    private record Stamp(FileTime modified, long size, Object fileKey) {
        static Stamp of(Path path) {
            try {
                BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
                return new Stamp(a.lastModifiedTime(), a.size(), a.fileKey());
            } catch (NoSuchFileException e) {
                return new Stamp(null, -1, null);
            } catch (IOException e) {
                return new Stamp(null, -2, e.getMessage());
            }
        }

        boolean missing() {
            return size == -1;
        }
    }
}
