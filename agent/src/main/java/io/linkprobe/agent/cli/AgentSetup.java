package io.linkprobe.agent.cli;

import io.linkprobe.agent.config.AgentConfig;
import io.linkprobe.agent.push.CollectorTls;
import io.linkprobe.common.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;

/** Start-up checks shared by {@code run} and {@code check-config}. */
final class AgentSetup {
    private AgentSetup() {}

    /** The bearer token, trimmed; a missing or empty file is a config error naming the fix. */
    static String readToken(AgentConfig cfg) throws ConfigException {
        Path file = cfg.collector().tokenFile();
        if (file == null) {
            throw new ConfigException("collector.token_file is required: put the token from "
                    + "'linkprobe-collector token new --site " + cfg.site() + "' in a file and name it there.");
        }
        String token;
        try {
            token = Files.readString(file).trim();
        } catch (NoSuchFileException e) {
            throw new ConfigException("token file " + file + " does not exist: create it with the token from "
                    + "'linkprobe-collector token new --site " + cfg.site() + "'.");
        } catch (IOException e) {
            throw new ConfigException("token file " + file + " cannot be read (" + e.getMessage() + "); check its permissions.");
        }
        if (token.isEmpty() || token.contains("\n") || token.contains(" ")) {
            throw new ConfigException("token file " + file + " must hold exactly one token on one line.");
        }
        return token;
    }

    /** The TLS context trusting {@code collector.ca_file}, or null when none is set (the JDK's CAs). */
    static SSLContext collectorTls(AgentConfig cfg) throws ConfigException {
        Path ca = cfg.collector().caFile();
        return ca == null ? null : CollectorTls.trusting(ca);
    }
}
