package io.linkprobe.collector.reload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.linkprobe.common.auth.TokenStore;
import io.linkprobe.common.auth.Tokens;
import io.linkprobe.collector.plan.Pool;
import io.linkprobe.collector.plan.SiteFacts;
import io.linkprobe.common.wire.Plan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The running configuration: tokens and fleet file re-read together, put in force together or not
 * at all, each attempt reported; the plans follow.
 */
class LiveConfigTest {
    static final Pool.Embedded EMBEDDED = new Pool.Embedded(true, 862, 9863, 1, "collector.example.net");

    @TempDir
    Path dir;

    final List<String> reloads = new ArrayList<>();

    private Path write(String name, String... lines) throws Exception {
        return Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n");
    }

    private LiveConfig open(Path tokens, Path fleet) throws Exception {
        LiveConfig live = LiveConfig.open(tokens, fleet, () -> EMBEDDED, SiteFacts.NONE,
                (ok, at, tokensFailed) -> reloads.add(ok + (tokensFailed ? " tokens" : "")), Clock.systemUTC());
        live.refreshPlans();
        return live;
    }

    @Test
    void anAddedSiteIsAdmittedAndPlannedWithoutARestart() throws Exception {
        Path file = write("tokens", Tokens.fileLine("tok-a", "gp-a"));
        LiveConfig live = open(file, null);
        assertFalse(live.reloadIfChanged().changed());
        assertEquals(Optional.empty(), live.get().siteFor("tok-b"));
        assertTrue(live.plans().plan("gp-b", "h").isEmpty());

        Files.writeString(file, Tokens.fileLine("tok-b", "gp-b") + "\n", StandardOpenOption.APPEND);

        assertTrue(live.reloadIfChanged().changed());
        assertEquals(Optional.of("gp-b"), live.get().siteFor("tok-b"));
        assertEquals(Optional.of("gp-a"), live.get().siteFor("tok-a"));
        assertTrue(live.plans().plan("gp-b", "h").isPresent(), "a new token holder gets a plan");
        assertFalse(live.reloadIfChanged().changed());
        assertEquals(List.of("true", "true"), reloads);
    }

    @Test
    void aBrokenOrMissingTokensFileKeepsTheTokensInForceUntilItIsFixed() throws Exception {
        Path file = write("tokens", Tokens.fileLine("tok-a", "gp-a"));
        LiveConfig live = open(file, null);

        Files.writeString(file, "tok-b gp-b\n", StandardOpenOption.APPEND);
        LiveConfig.Outcome broken = live.reloadIfChanged();
        assertFalse(broken.ok());
        assertTrue(broken.problem().startsWith(file + ":2: 'tok-b' is not a SHA-256 hex digest"), broken.problem());
        assertTrue(broken.problem().endsWith("The configuration in force stays (1 token) until the file is fixed."),
                broken.problem());
        assertEquals(Optional.of("gp-a"), live.get().siteFor("tok-a"), "a typo must not lock every site out");
        assertFalse(live.reloadIfChanged().changed(), "an unchanged broken file is not read again every 5 s");
        assertFalse(live.reload("test").ok(), "but a forced reload says it is still broken");

        Files.delete(file);
        assertFalse(live.reloadIfChanged().ok());
        assertEquals(Optional.of("gp-a"), live.get().siteFor("tok-a"));

        write("tokens", Tokens.fileLine("tok-b", "gp-b"));
        assertTrue(live.reloadIfChanged().ok());
        assertEquals(Optional.of("gp-b"), live.get().siteFor("tok-b"));
        assertEquals(Optional.empty(), live.get().siteFor("tok-a"), "a removed line revokes its token");
        assertEquals(List.of("true", "false tokens", "false tokens", "false tokens", "true"), reloads);
    }

    @Test
    void tokensAndFleetFileChangeTogetherOrNotAtAll() throws Exception {
        Path tokens = write("tokens", Tokens.fileLine("tok-a", "gp-a"));
        Path fleet = write("fleet.yml", "defaults: {throughput: {every: 4h}}");
        LiveConfig live = open(tokens, fleet);
        Plan before = live.plans().plan("gp-a", "h").orElseThrow();

        Files.writeString(tokens, Tokens.fileLine("tok-b", "gp-b") + "\n", StandardOpenOption.APPEND);
        write("fleet.yml", "defaults: {throughput: {evry: 8h}}");
        LiveConfig.Outcome outcome = live.reload("test");

        assertFalse(outcome.ok());
        assertTrue(outcome.problem().startsWith(fleet + ":1:25: unknown key 'evry'"), outcome.problem());
        assertEquals(Optional.empty(), live.get().siteFor("tok-b"), "the valid tokens file waits for the fleet file");
        assertEquals(before, live.plans().plan("gp-a", "h").orElseThrow());
        assertEquals("false", reloads.get(reloads.size() - 1), "not the tokens file's fault");

        write("fleet.yml", "defaults: {throughput: {every: 8h}}");
        assertTrue(live.reload("test").ok());
        assertEquals(Optional.of("gp-b"), live.get().siteFor("tok-b"));
        assertEquals(8 * 3_600_000L, live.plans().plan("gp-a", "h").orElseThrow().throughput().everyMillis());
    }

    @Test
    void aTokensFileThatSuddenlyLosesMostSitesIsLoggedAsAnError() throws Exception {
        String[] lines = new String[10];
        for (int i = 0; i < lines.length; i++) {
            lines[i] = Tokens.fileLine("tok-" + i, "gp-" + i);
        }
        Path file = write("tokens", lines);
        LiveConfig live = open(file, null);
        Logger logger = (Logger) LoggerFactory.getLogger(LiveConfig.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            write("tokens", Tokens.fileLine("tok-new", "gp-new")); // '>' where '>>' was meant
            assertTrue(live.reload("test").ok(), "applied: it may be meant (a mass revocation)");
            assertEquals(1, live.get().size());
            assertTrue(appender.list.stream().anyMatch(e -> e.getLevel() == Level.ERROR
                    && e.getFormattedMessage().contains("now holds 1 tokens, down from 10")), appender.list.toString());
        } finally {
            logger.detachAppender(appender);
        }
    }

    @Test
    void aFileRenamedIntoPlaceIsNoticedEvenAtTheSameSize() throws Exception {
        Path file = write("tokens", Tokens.fileLine("tok-a", "gp-a"));
        LiveConfig live = open(file, null);
        Path next = write("tokens.new", Tokens.fileLine("tok-z", "gp-z"));
        Files.setLastModifiedTime(next, Files.getLastModifiedTime(file));
        assertEquals(Files.size(file), Files.size(next));

        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

        assertTrue(live.reloadIfChanged().changed());
        assertEquals(Optional.of("gp-z"), live.get().siteFor("tok-z"));
    }

    @Test
    void duringARotationBothTokensOfASiteCarryAThroughputKey() throws Exception {
        Path file = write("tokens", Tokens.fileLine("old", "gp-a"), Tokens.fileLine("new", "gp-a"),
                Tokens.fileLine("other", "gp-b"));
        TokenStore store = open(file, null).get();

        List<byte[]> keys = store.throughputKeys("gp-a");
        assertEquals(2, keys.size());
        assertArrayEquals(java.util.HexFormat.of().parseHex(Tokens.sha256Hex("old")), keys.get(0));
        assertArrayEquals(java.util.HexFormat.of().parseHex(Tokens.sha256Hex("new")), keys.get(1));
        assertEquals(1, store.throughputKeys("gp-b").size());
        assertEquals(List.of(), store.throughputKeys("gp-x"));
    }
}
