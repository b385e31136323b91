package io.linkprobe.collector.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.collector.CollectorMain;
import io.linkprobe.common.auth.TokenStore;
import io.linkprobe.common.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI as an operator meets it: output and exit codes. */
class CliTest {
    @TempDir
    Path dir;

    static CliRun run(String... args) {
        return CliRun.of(() -> CollectorMain.commandLine().execute(args));
    }

    @Test
    void checkConfigPrintsOkAndExitsZeroForAValidConfig() throws Exception {
        Files.writeString(dir.resolve("tokens"), "");
        Path config = Files.writeString(dir.resolve("collector.yml"), "tokens_file: tokens\n");

        CliRun r = run("check-config", "--config", config.toString());

        assertEquals(0, r.exit(), r.err());
        assertEquals(config + ": ok (0 token(s), http 0.0.0.0:9862, archive SQLite " + dir.resolve("collector.db") + ")\n", r.out());
    }

    @Test
    void checkConfigPrintsTheErrorAndExitsTwo() throws Exception {
        Files.writeString(dir.resolve("tokens"), "");
        Path config = Files.writeString(dir.resolve("collector.yml"), "tokens_file: tokens\nseries_ttl: soon\n");
        Path badTokens = Files.writeString(dir.resolve("bad.yml"), "tokens_file: bad-tokens\n");
        Files.writeString(dir.resolve("bad-tokens"), "not-a-hash site\n");

        CliRun r = run("check-config", "--config", config.toString());
        CliRun t = run("check-config", "--config", badTokens.toString());
        CliRun missing = run("check-config");

        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("error: " + config + ":2:"), r.err());
        assertTrue(r.err().contains("'soon' is not a valid duration for 'series_ttl'"), r.err());
        assertEquals("", r.out());
        assertEquals(2, t.exit());
        assertTrue(t.err().startsWith("error: " + dir.resolve("bad-tokens") + ":1:"), t.err());
        assertEquals(2, missing.exit(), "usage error");
    }

    /**
     * A PostgreSQL archive is checked without connecting (check-config runs where the database may
     * not be reachable): the URL's form, and the password file it names, which must hold something.
     */
    @Test
    void checkConfigChecksThePostgresArchiveWithoutConnecting() throws Exception {
        Files.writeString(dir.resolve("tokens"), "");
        Files.writeString(dir.resolve("pgpass"), "secret\n");
        Path config = Files.writeString(dir.resolve("collector.yml"), "tokens_file: tokens\narchive:\n"
                + "  url: jdbc:postgresql://db.example.net:5432/linkprobe?user=linkprobe\n  password_file: pgpass\n");
        assertEquals(new CliRun(0, config + ": ok (0 token(s), http 0.0.0.0:9862, archive PostgreSQL "
                + "jdbc:postgresql://db.example.net:5432/linkprobe)\n", ""), run("check-config", "--config", config.toString()));

        Files.writeString(dir.resolve("pgpass"), "");
        CliRun empty = run("check-config", "--config", config.toString());
        assertEquals(new CliRun(2, "", "error: " + config + ":4:3: archive.password_file " + dir.resolve("pgpass")
                + " is empty; write the PostgreSQL password in it, or remove password_file if the server needs none.\n"), empty);

        Files.writeString(config, "tokens_file: tokens\narchive: {url: 'jdbc:postgresql://db.example.net:5432x/linkprobe'}\n");
        CliRun port = run("check-config", "--config", config.toString());
        assertEquals(2, port.exit(), port.err());
        assertTrue(port.err().startsWith("error: " + config + ":2:"), port.err());
        assertTrue(port.err().contains("has port '5432x' for db.example.net, not one between 1 and 65535"), port.err());
    }

    @Test
    void checkConfigChecksTheFleetFileItNames() throws Exception {
        Files.writeString(dir.resolve("tokens"), "");
        Path config = Files.writeString(dir.resolve("collector.yml"), "tokens_file: tokens\nfleet_file: fleet.yml\n");
        Path fleet = Files.writeString(dir.resolve("fleet.yml"), "defaults: {targets: [{name: hub, host: 127.0.0.1, stamp_port: 862}]}\nsites: {s1: {}}\n");
        assertEquals(new CliRun(0, config + ": ok (0 token(s), http 0.0.0.0:9862, archive SQLite " + dir.resolve("collector.db")
                + ", fleet file " + fleet + ")\n", ""),
                run("check-config", "--config", config.toString()));

        Files.writeString(fleet, "responders:\n  - {name: hub, host: hub.example.net, max_mbps: 0}\n");
        CliRun r = run("check-config", "--config", config.toString());
        assertEquals(2, r.exit());
        assertEquals("error: " + fleet + ":2:40: responder 'hub': max_mbps must be more than 0 and at most 1000000\n", r.err());

        Files.writeString(dir.resolve("collector.yml"), "tokens_file: tokens\nfleet_file: fleet.yml\nresponder: {enabled: false}\n");
        Files.writeString(fleet, "embedded_responder: {enabled: true}\n");
        r = run("check-config", "--config", config.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("error: " + fleet + ": embedded_responder.enabled is true, but collector.yml turns"), r.err());
    }

    @Test
    void tokenNewPrintsATokenTheFileLineAdmits() throws Exception {
        CliRun r = run("token", "new", "--site", "gp-leeds-0042");

        assertEquals(0, r.exit(), r.err());
        String[] lines = r.out().split("\n");
        assertEquals(3, lines.length, r.out());
        Path tokens = Files.writeString(dir.resolve("tokens"), lines[2] + "\n");
        assertEquals(Optional.of("gp-leeds-0042"), TokenStore.load(tokens).siteFor(lines[0]));
    }

    @Test
    void tokenNewAppendsToTheTokensFile() throws Exception {
        Path tokens = dir.resolve("tokens");
        CliRun first = run("token", "new", "--site", "a", "--tokens-file", tokens.toString());
        CliRun second = run("token", "new", "--site", "b", "--tokens-file", tokens.toString());

        TokenStore store = TokenStore.load(tokens);
        assertEquals(Optional.of("a"), store.siteFor(first.out().split("\n")[0]));
        assertEquals(Optional.of("b"), store.siteFor(second.out().split("\n")[0]));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(tokens)));
    }

    @Test
    void tokenNewEnrolsEverySiteOfAFileAndNeverOverwritesATokenFile() throws Exception {
        StringBuilder list = new StringBuilder("# practices of the south-west\n\n");
        for (int i = 0; i < 1_000; i++) {
            list.append(String.format("gp-%04d%n", i));
        }
        Path sites = Files.writeString(dir.resolve("sites.txt"), list);
        Path tokens = dir.resolve("tokens");
        Path out = dir.resolve("out");

        CliRun r = run("token", "new", "--sites-file", sites.toString(), "--tokens-file", tokens.toString(),
                "--out-dir", out.toString());

        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("enrolled 1000 sites: 1000 lines appended to " + tokens), r.out());
        TokenStore store = TokenStore.load(tokens);
        assertEquals(1_000, store.size());
        for (String site : new String[] {"gp-0000", "gp-0999"}) {
            Path file = out.resolve(site + ".token");
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            assertEquals(Optional.of(site), store.siteFor(Files.readString(file).trim()));
        }

        String before = Files.readString(tokens);
        CliRun again = run("token", "new", "--sites-file", sites.toString(), "--tokens-file", tokens.toString(),
                "--out-dir", out.toString());
        assertEquals(1, again.exit());
        assertEquals(out.resolve("gp-0000.token") + " already exists (and 999 more); token files are never overwritten: "
                + "move them away, or leave those sites out of " + sites + " (rotate one site with token new --site).\n",
                again.err());
        assertEquals(before, Files.readString(tokens), "nothing enrolled twice");
    }

    @Test
    void tokenNewFromAFileRefusesABadOrRepeatedSiteAndWritesNothing() throws Exception {
        Path tokens = dir.resolve("tokens");
        Path out = dir.resolve("out");
        Path bad = Files.writeString(dir.resolve("bad.txt"), "gp-1\ngp 2\n");
        Path twice = Files.writeString(dir.resolve("twice.txt"), "gp-1\n# again:\ngp-1\n");

        CliRun r = run("token", "new", "--sites-file", bad.toString(), "--tokens-file", tokens.toString(), "--out-dir", out.toString());
        assertEquals(2, r.exit());
        assertEquals(bad + ":2: site id 'gp 2' may hold only letters, digits and . _ - (starting with a letter or digit); "
                + "nothing was enrolled.\n", r.err());
        r = run("token", "new", "--sites-file", twice.toString(), "--tokens-file", tokens.toString(), "--out-dir", out.toString());
        assertEquals(2, r.exit());
        assertEquals(twice + ":3: site 'gp-1' is already on line 1; list each site once. Nothing was enrolled.\n", r.err());
        assertEquals(2, run("token", "new", "--sites-file", twice.toString()).exit(), "needs --tokens-file and --out-dir");
        assertTrue(Files.notExists(tokens) && Files.notExists(out));
    }

    @Test
    void tokenListShowsSitesAndCountsAndRevokeRemovesOneSitesLines() throws Exception {
        Path tokens = Files.writeString(dir.resolve("tokens"), "# region south-west\n"
                + io.linkprobe.common.auth.Tokens.fileLine("a-old", "gp-a") + "\n"
                + io.linkprobe.common.auth.Tokens.fileLine("b", "gp-b") + "  # the branch\n"
                + io.linkprobe.common.auth.Tokens.fileLine("a-new", "gp-a") + "\n");
        Files.setPosixFilePermissions(tokens, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));

        CliRun list = run("token", "list", "--tokens-file", tokens.toString());
        assertEquals(new CliRun(0, "gp-a 2\ngp-b 1\n# 2 sites, 3 tokens\n", ""), list);

        CliRun revoke = run("token", "revoke", "--site", "gp-a", "--tokens-file", tokens.toString());
        assertEquals(0, revoke.exit(), revoke.err());
        assertEquals("revoked 2 tokens of site gp-a in " + tokens + "; a running collector refuses the site within 5 s\n",
                revoke.out());
        assertEquals("# region south-west\n" + io.linkprobe.common.auth.Tokens.fileLine("b", "gp-b") + "  # the branch\n",
                Files.readString(tokens), "comments and other sites' lines stay as they were");
        assertEquals("rw-r-----", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(tokens)));
        assertEquals(1, Files.list(dir).count(), "no temporary file left behind");

        CliRun none = run("token", "revoke", "--site", "gp-a", "--tokens-file", tokens.toString());
        assertEquals(1, none.exit());
        assertEquals("site 'gp-a' holds no token in " + tokens + "; nothing was changed.\n", none.err());
    }

    @Test
    void tokenNewRefusesASiteThatCannotBeALabel() {
        CliRun r = run("token", "new", "--site", "gp leeds");

        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("--site 'gp leeds' may hold only letters"), r.err());
    }

    @Test
    void runWithABadConfigExitsTwoAndWithATakenPortExitsOne() throws Exception {
        Files.writeString(dir.resolve("tokens"), "");
        Path bad = Files.writeString(dir.resolve("bad.yml"), "tokens_file: tokens\nhttp: {prot: 1}\n");
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Path busy = Files.writeString(dir.resolve("busy.yml"), "tokens_file: tokens\nresponder: {enabled: false}\n"
                    + "archive: {path: c.db}\nhttp: {bind: 127.0.0.1, port: " + taken.getLocalPort() + "}\n");

            CliRun r = run("run", "--config", bad.toString());
            CliRun b = run("run", "--config", busy.toString());

            assertEquals(2, r.exit());
            assertTrue(r.err().contains("unknown key 'prot'"), r.err());
            assertEquals(1, b.exit());
            assertTrue(b.err().startsWith("error: cannot listen on tcp port " + taken.getLocalPort()
                    + " on 127.0.0.1: another program already uses it; stop it or change http.port."), b.err());
        }
    }

    @Test
    void runRefusesAnAddressThatIsNotThisHostsAsAConfigErrorNotAsATakenPort() throws Exception {
        Files.writeString(dir.resolve("tokens"), "");
        Path unresolvable = Files.writeString(dir.resolve("c.yml"), "tokens_file: tokens\nresponder: {enabled: false}\n"
                + "archive: {path: c.db}\nhttp: {bind: no-such-host.invalid, port: 19862}\n");

        CliRun r = run("run", "--config", unresolvable.toString());

        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("http.bind 'no-such-host.invalid' does not resolve"), r.err());
        assertTrue(!r.err().contains("stop"), r.err());
    }

    @Test
    void helpSubcommandExplainsACommand() {
        CliRun r = run("help", "check-config");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("--config=FILE"), r.out());
    }
}
