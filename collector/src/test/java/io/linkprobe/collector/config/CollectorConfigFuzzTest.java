package io.linkprobe.collector.config;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.linkprobe.common.config.ConfigException;
import io.linkprobe.common.testing.fuzz.Fuzzing;
import io.linkprobe.common.testing.fuzz.Refusals;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * collector.yml as an operator might write it, any bytes at all: {@link CollectorConfig#load} (YAML,
 * defaults, validation, paths resolved against the file's directory, the files it names) either
 * returns a config or refuses with a {@link ConfigException}, the one-sentence error that
 * {@code check-config} prints with exit code 2. A stack trace instead is the finding.
 *
 * <p>Input: the file's bytes. A tokens file named {@code tokens} is beside it.
 */
class CollectorConfigFuzzTest {
    private static final Path DIR = tempDir();

    @FuzzTest(maxDuration = Fuzzing.DURATION)
    void load(byte[] yaml) throws IOException {
        Path file = DIR.resolve("collector.yml");
        Files.write(file, yaml);
        Refusals.accepted(() -> CollectorConfig.load(file), ConfigException.class);
    }

    private static Path tempDir() {
        try {
            Path dir = Files.createTempDirectory("collector-config-fuzz");
            Files.writeString(dir.resolve("tokens"),
                    "8c7023880df1e998d6c833b670111d7fbf1dbd6e5267fd5bb49a957e826deec7 t\n");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
