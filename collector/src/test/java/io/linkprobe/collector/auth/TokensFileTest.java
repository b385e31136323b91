package io.linkprobe.collector.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokensFileTest {
    @TempDir
    Path dir;

    private Path write(String name, String... lines) throws Exception {
        return Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n");
    }

    @Test
    void anAddedSiteIsAdmittedWithoutARestart() throws Exception {
        Path file = write("tokens", Tokens.fileLine("tok-a", "gp-a"));
        TokensFile tokens = TokensFile.open(file);
        assertEquals(TokensFile.Reload.UNCHANGED, tokens.reloadIfChanged());
        assertEquals(Optional.empty(), tokens.get().siteFor("tok-b"));

        Files.writeString(file, Tokens.fileLine("tok-b", "gp-b") + "\n", StandardOpenOption.APPEND);

        assertEquals(TokensFile.Reload.RELOADED, tokens.reloadIfChanged());
        assertEquals(Optional.of("gp-b"), tokens.get().siteFor("tok-b"));
        assertEquals(Optional.of("gp-a"), tokens.get().siteFor("tok-a"));
        assertEquals(TokensFile.Reload.UNCHANGED, tokens.reloadIfChanged());
    }

    @Test
    void aBrokenOrMissingFileKeepsTheTokensInForceUntilItIsFixed() throws Exception {
        Path file = write("tokens", Tokens.fileLine("tok-a", "gp-a"));
        TokensFile tokens = TokensFile.open(file);

        Files.writeString(file, "tok-b gp-b\n", StandardOpenOption.APPEND);
        assertEquals(TokensFile.Reload.FAILED, tokens.reloadIfChanged());
        assertEquals(Optional.of("gp-a"), tokens.get().siteFor("tok-a"), "a typo must not lock every site out");
        assertEquals(TokensFile.Reload.FAILED, tokens.reloadIfChanged(), "still broken, still refused");

        Files.delete(file);
        assertEquals(TokensFile.Reload.FAILED, tokens.reloadIfChanged());
        assertEquals(Optional.of("gp-a"), tokens.get().siteFor("tok-a"));

        write("tokens", Tokens.fileLine("tok-b", "gp-b"));
        assertEquals(TokensFile.Reload.RELOADED, tokens.reloadIfChanged());
        assertEquals(Optional.of("gp-b"), tokens.get().siteFor("tok-b"));
        assertEquals(Optional.empty(), tokens.get().siteFor("tok-a"), "a removed line revokes its token");
    }

    @Test
    void aFileRenamedIntoPlaceIsNoticedEvenAtTheSameSize() throws Exception {
        Path file = write("tokens", Tokens.fileLine("tok-a", "gp-a"));
        TokensFile tokens = TokensFile.open(file);
        Path next = write("tokens.new", Tokens.fileLine("tok-z", "gp-z"));
        Files.setLastModifiedTime(next, Files.getLastModifiedTime(file));
        assertEquals(Files.size(file), Files.size(next));

        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

        assertEquals(TokensFile.Reload.RELOADED, tokens.reloadIfChanged());
        assertEquals(Optional.of("gp-z"), tokens.get().siteFor("tok-z"));
    }

    @Test
    void duringARotationBothTokensOfASiteCarryAThroughputKey() throws Exception {
        Path file = write("tokens", Tokens.fileLine("old", "gp-a"), Tokens.fileLine("new", "gp-a"),
                Tokens.fileLine("other", "gp-b"));
        TokenStore store = TokensFile.open(file).get();

        List<byte[]> keys = store.throughputKeys("gp-a");
        assertEquals(2, keys.size());
        assertArrayEquals(java.util.HexFormat.of().parseHex(Tokens.sha256Hex("old")), keys.get(0));
        assertArrayEquals(java.util.HexFormat.of().parseHex(Tokens.sha256Hex("new")), keys.get(1));
        assertEquals(1, store.throughputKeys("gp-b").size());
        assertEquals(List.of(), store.throughputKeys("gp-x"));
    }
}
