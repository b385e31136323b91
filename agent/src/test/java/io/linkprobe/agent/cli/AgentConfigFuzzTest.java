package io.linkprobe.agent.cli;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.linkprobe.agent.config.AgentConfig;
import io.linkprobe.common.config.ConfigException;
import io.linkprobe.common.config.ConfigLoader;
import io.linkprobe.common.testing.fuzz.Fuzzing;
import io.linkprobe.common.testing.fuzz.Refusals;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * agent.yml as a site engineer might write it, any bytes at all, through what {@code check-config}
 * and {@code run} do with it: the YAML loader with the agent's defaults and rules, then the token
 * file and the collector's TLS settings it names. The only refusal is a {@link ConfigException}
 * (one sentence, exit code 2); anything else thrown is the finding.
 *
 * <p>Input: the file's bytes. A token file {@code token.txt} is beside it.
 */
class AgentConfigFuzzTest {
    private static final Path DIR = tempDir();

    @FuzzTest(maxDuration = Fuzzing.DURATION)
    void load(byte[] yaml) throws IOException {
        Path file = DIR.resolve("agent.yml");
        Files.write(file, yaml);
        Refusals.accepted(() -> {
            AgentConfig cfg = ConfigLoader.load(file, AgentConfig.class);
            AgentSetup.readToken(cfg, file);
            AgentSetup.collectorTls(cfg);
        }, ConfigException.class);
    }

    private static Path tempDir() {
        try {
            Path dir = Files.createTempDirectory("agent-config-fuzz");
            Files.writeString(dir.resolve("token.txt"), "token-t\n");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
