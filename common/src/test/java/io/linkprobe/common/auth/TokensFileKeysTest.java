package io.linkprobe.common.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.common.throughput.protocol.ThroughputKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pool responder's keys come from a copy of the collector's tokens file and follow its changes. */
class TokensFileKeysTest {
    @TempDir
    Path dir;

    @Test
    void eachSiteSignsWithTheKeyOfItsOwnTokenAndAnAddedSiteIsKnownAfterAReRead() throws Exception {
        Path file = Files.writeString(dir.resolve("tokens"), Tokens.fileLine("token-a", "gp-a") + "\n");
        TokensFileKeys keys = TokensFileKeys.open(file);

        assertArrayEquals(ThroughputKeys.derive("token-a"), keys.keysFor("gp-a").get(0));
        assertEquals(List.of(), keys.keysFor("gp-b"));
        assertFalse(keys.reloadIfChanged());

        Files.writeString(file, Tokens.fileLine("token-b", "gp-b") + "\n", StandardOpenOption.APPEND);
        assertTrue(keys.reloadIfChanged());
        assertArrayEquals(ThroughputKeys.derive("token-b"), keys.keysFor("gp-b").get(0));
    }

    @Test
    void aBrokenOrMissingCopyKeepsTheKeysInForce() throws Exception {
        Path file = Files.writeString(dir.resolve("tokens"), Tokens.fileLine("token-a", "gp-a") + "\n");
        TokensFileKeys keys = TokensFileKeys.open(file);

        Files.writeString(file, "token-b gp-b\n", StandardOpenOption.APPEND);
        assertFalse(keys.reloadIfChanged());
        assertEquals(1, keys.keysFor("gp-a").size());
        Files.delete(file);
        assertFalse(keys.reloadIfChanged());
        assertEquals(1, keys.keysFor("gp-a").size());

        Files.writeString(file, Tokens.fileLine("token-c", "gp-c") + "\n");
        assertTrue(keys.reloadIfChanged());
        assertEquals(List.of(), keys.keysFor("gp-a"), "a site removed from the file loses its key");
        assertEquals(1, keys.keysFor("gp-c").size());
    }
}
