package io.linkprobe.common.auth;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.linkprobe.common.config.ConfigException;
import io.linkprobe.common.testing.fuzz.FuzzInput;
import io.linkprobe.common.testing.fuzz.Fuzzing;
import io.linkprobe.common.testing.fuzz.Refusals;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The tokens file, as edited by hand or by scripts: loading it either gives a token store or a
 * {@link ConfigException} naming the file and line (at start-up: exit 2; on reload: the tokens in
 * force stay). A loaded store then answers any bearer token and any site without failing.
 *
 * <pre>
 * input := bearer token: length u16 | bytes   then the file's bytes
 * </pre>
 */
class TokensFileFuzzTest {
    private static final Path FILE = tempFile();

    @FuzzTest(maxDuration = Fuzzing.DURATION)
    void load(byte[] bytes) throws IOException {
        FuzzInput in = new FuzzInput(bytes);
        String bearer = new String(in.chunk(), StandardCharsets.UTF_8);
        Files.write(FILE, in.rest());
        TokenStore[] loaded = new TokenStore[1];
        if (Refusals.accepted(() -> loaded[0] = TokenStore.load(FILE), ConfigException.class)) {
            String site = loaded[0].siteFor(bearer).orElse(bearer);
            loaded[0].throughputKeys(site);
            loaded[0].size();
        }
    }

    private static Path tempFile() {
        try {
            Path file = Files.createTempFile("tokens-fuzz", ".txt");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
