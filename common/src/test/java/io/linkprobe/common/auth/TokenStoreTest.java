package io.linkprobe.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.common.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenStoreTest {
    @TempDir
    Path dir;

    @Test
    void eachTokenAdmitsItsOwnSiteOnly() throws Exception {
        String a = Tokens.newToken();
        String a2 = Tokens.newToken();
        String b = Tokens.newToken();
        Path file = Files.writeString(dir.resolve("tokens"), "# region north\n\n"
                + Tokens.fileLine(a, "gp-a") + "   # rotated 2025-01\n"
                + Tokens.fileLine(a2, "gp-a") + "\n"
                + Tokens.fileLine(b, "gp-b") + "\n");

        TokenStore store = TokenStore.load(file);

        assertEquals(Optional.of("gp-a"), store.siteFor(a));
        assertEquals(Optional.of("gp-a"), store.siteFor(a2));
        assertEquals(Optional.of("gp-b"), store.siteFor(b));
        assertEquals(Optional.empty(), store.siteFor(Tokens.sha256Hex(a)), "the hash itself is not a token");
        assertEquals(Optional.empty(), store.siteFor(""));
        assertEquals(3, store.size());
    }

    @Test
    void tokensAreRandomAndUrlSafe() {
        String t = Tokens.newToken();
        assertEquals(43, t.length());
        assertTrue(t.matches("[A-Za-z0-9_-]+"), t);
        assertNotEquals(t, Tokens.newToken());
    }

    @Test
    void badLinesAreReportedWithFileAndLine() throws Exception {
        Path plain = Files.writeString(dir.resolve("plain"), "# comment\nsecret-token gp-a\n");
        Path twoSites = Files.writeString(dir.resolve("two"), Tokens.fileLine("x", "gp-a") + "\n"
                + Tokens.fileLine("x", "gp-b") + "\n");
        Path badSite = Files.writeString(dir.resolve("site"), Tokens.sha256Hex("x") + " gp a\n");

        assertEquals(plain + ":2: 'secret-token' is not a SHA-256 hex digest; the file holds hashes, not tokens: "
                + "use the line printed by 'linkprobe-collector token new'.",
                assertThrows(ConfigException.class, () -> TokenStore.load(plain)).getMessage());
        assertEquals(twoSites + ":2: this token is already given to site 'gp-a'; a token admits one site, "
                + "so remove one of the two lines.",
                assertThrows(ConfigException.class, () -> TokenStore.load(twoSites)).getMessage());
        assertTrue(assertThrows(ConfigException.class, () -> TokenStore.load(badSite)).getMessage()
                .startsWith(badSite + ":1: expected '<sha256-hex> <site>'"));
    }
}
