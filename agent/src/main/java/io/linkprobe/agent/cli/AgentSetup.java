package io.linkprobe.agent.cli;

import io.linkprobe.agent.config.AgentConfig;
import io.linkprobe.agent.push.CollectorTls;
import io.linkprobe.common.config.ConfigException;
import io.linkprobe.common.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;

/** Start-up checks shared by {@code run} and {@code check-config}. */
final class AgentSetup {
    private AgentSetup() {}

    /**
     * The bearer token, trimmed; a missing or empty file is a config error at the line of
     * {@code collector.token_file} in {@code config}, naming the fix.
     */
    static String readToken(AgentConfig cfg, Path config) throws ConfigException {
        Path file = cfg.collector().tokenFile();
        if (file == null) {
            throw new ConfigException(ConfigLoader.at(config, "collector") + "collector.token_file is required: put the token from "
                    + "'linkprobe-collector token new --site " + cfg.site() + "' in a file and name it there.");
        }
        String at = ConfigLoader.at(config, "collector.token_file") + "collector.token_file ";
        String token;
        try {
            token = Files.readString(file).trim();
        } catch (NoSuchFileException e) {
            throw new ConfigException(at + file + " does not exist: create it with the token from "
                    + "'linkprobe-collector token new --site " + cfg.site() + "'.");
        } catch (IOException e) {
            throw new ConfigException(at + file + " cannot be read (" + e.getMessage() + "); check its permissions.");
        }
        if (token.isEmpty() || token.contains("\n") || token.contains(" ")) {
            throw new ConfigException(at + file + " must hold exactly one token on one line.");
        }
        return token;
    }

    /** The TLS context trusting {@code collector.ca_file}, or null when none is set (the JDK's CAs). */
    static SSLContext collectorTls(AgentConfig cfg) throws ConfigException {
        Path ca = cfg.collector().caFile();
        return ca == null ? null : CollectorTls.trusting(ca);
    }
}
