package io.linkprobe.demo.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.common.wire.AgentIdentity;
import io.linkprobe.common.wire.Json;
import io.linkprobe.common.wire.LatencyWindow;
import io.linkprobe.common.wire.PushBatch;
import io.linkprobe.common.wire.Sample;
import java.io.RandomAccessFile;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Chaos with the real jars: a collector (its embedded reflector the agents' target) and three
 * agents as processes on loopback, 5 s windows. Each scenario breaks something the way an operator
 * or a failing machine does, then counts what the agents produced against what the archive holds
 * ({@link Ledger}): lost 0, duplicated 0. Catch-up times (from the collector's return, or a
 * restored token, until no spool holds a result from before it) are printed against the one-minute
 * target; a time bound on each scenario only stops a hang. The three-minute outage runs beside
 * these ({@link LongOutageChaosIT}).
 */
@Tag("lab")
class ChaosIT {
    private static final Duration DRAIN = Duration.ofSeconds(90);
    private static final Duration CATCH_UP_BOUND = Duration.ofSeconds(150);

    private static String catchUpText(double seconds) {
        return String.format(Locale.ROOT, "%.1f s (%s)", seconds, seconds <= 60 ? "within 60 s" : "MISSED 60 s");
    }

    private static void assertNothingLostOrDuplicated(Ledger.Tally t) {
        assertEquals(0, t.lost(), () -> "lost: " + t.problems());
        assertEquals(0, t.duplicated(), () -> "duplicated: " + t.problems());
        assertTrue(t.produced() > 0);
    }

    /** kill -9 of the collector right after the agents' windows close (when they push), twice. */
    @Test
    @Timeout(300)
    void collectorKilledUnderPushesLosesNothingAndStoresNothingTwice() throws Exception {
        try (Rig rig = Rig.start("collector-kill9", 3)) {
            rig.awaitArchivedWindows(2, Duration.ofSeconds(90));
            List<String> catchUps = new ArrayList<>();
            for (long offset : new long[] {30, 400}) {
                rig.sleepUntilAfterNextWindow("s1", offset);
                rig.collector.kill9();
                Thread.sleep(4_000);
                long back = rig.collector.start(Duration.ofSeconds(90));
                catchUps.add(catchUpText(rig.catchUp(back, CATCH_UP_BOUND)));
            }
            rig.awaitArchivedWindows(6, Duration.ofSeconds(90));
            Ledger.Tally t = rig.finish(DRAIN);
            rig.report(t, "catch-up after each restart: " + String.join(", ", catchUps));
            assertNothingLostOrDuplicated(t);
        }
    }

    /** kill -9 of each agent as its window closes (spooling, pushing), restarted a second later. */
    @Test
    @Timeout(300)
    void agentsKilledUnderPushesLoseOnlyTheirPartialWindow() throws Exception {
        try (Rig rig = Rig.start("agent-kill9", 3)) {
            rig.awaitArchivedWindows(2, Duration.ofSeconds(90));
            long[] offsets = {5, 60, 250};
            for (int i = 0; i < rig.agents.size(); i++) {
                AgentNode a = rig.agents.get(i);
                rig.sleepUntilAfterNextWindow(a.site, offsets[i]);
                a.kill9();
                Thread.sleep(1_000);
                a.start();
            }
            rig.awaitArchivedWindows(7, Duration.ofSeconds(120));
            Ledger.Tally t = rig.finish(DRAIN);
            rig.report(t, "3 kills, one per agent");
            assertNothingLostOrDuplicated(t);
            assertTrue(rig.agents.stream().allMatch(a -> a.boots().size() == 2));
        }
    }

    /**
     * s1's token is revoked (its line leaves the collector's tokens file) and restored; s2's is
     * rotated (a new token in both files). The collector re-reads its file within 5 s; the agent
     * retries on its capped backoff and reads its own file again on every refusal.
     */
    @Test
    @Timeout(360)
    void aRevokedTokenRestoredAndARotatedTokenCatchUpWithinAMinute() throws Exception {
        try (Rig rig = Rig.start("token-revoke-rotate", 3)) {
            rig.awaitArchivedWindows(2, Duration.ofSeconds(90));
            rig.collector.revoke("s1");
            assertTrue(rig.agent("s1").process().awaitLog(Pattern.compile("refused this agent's token"), Duration.ofSeconds(60)),
                    "s1 is refused once the collector has re-read its tokens file");
            Thread.sleep(20_000);
            long restored = System.currentTimeMillis();
            rig.collector.admit("s1", rig.tokens.get("s1"));
            String restoreCatchUp = catchUpText(rig.catchUp(restored, CATCH_UP_BOUND));

            String rotated = "tok-s2-rotated";
            long rotation = System.currentTimeMillis();
            rig.collector.admit("s2", rotated);
            rig.agent("s2").writeToken(rotated);
            String rotateCatchUp = catchUpText(rig.catchUp(rotation, CATCH_UP_BOUND));
            rig.awaitArchivedWindows(8, Duration.ofSeconds(120));
            Ledger.Tally t = rig.finish(DRAIN);
            rig.report(t, "catch-up after the token was restored " + restoreCatchUp + ", after rotation " + rotateCatchUp);
            assertNothingLostOrDuplicated(t);
            assertTrue(rig.agent("s1").process().log().contains("Pushes recovered after"), "s1 logs its recovery");
        }
    }

    /**
     * Each agent is stopped and its spool damaged before it starts again: s1's overwritten with
     * garbage, s2's truncated to half, s3's with one page destroyed while it held results (the
     * collector was down). Each agent moves the file aside, keeps measuring (no exit 2) and says
     * so in its health; what the damaged file held is counted as destroyed by the test, the rest
     * must arrive.
     */
    @Test
    @Timeout(300)
    void aCorruptSpoolAtStartIsMovedAsideAndTheSiteKeepsMeasuring() throws Exception {
        try (Rig rig = Rig.start("corrupt-spool", 3)) {
            rig.awaitArchivedWindows(2, Duration.ofSeconds(90));
            rig.collector.stop();
            Thread.sleep(12_000); // s3's spool fills with results the collector has not taken
            for (AgentNode a : rig.agents) {
                a.stop();
            }
            for (AgentNode a : rig.agents) {
                List<Result> held = Result.spooled(a.spool(), a.site, a.agentId);
                rig.replacedSpools.put(a.site, List.of(new Ledger.SpoolFile(Result.spooledTotal(a.spool()), held)));
            }
            byte[] garbage = new byte[64 * 1024];
            new Random(1).nextBytes(garbage);
            Files.write(rig.agent("s1").spool(), garbage);
            try (RandomAccessFile f = new RandomAccessFile(rig.agent("s2").spool().toFile(), "rw")) {
                f.setLength(f.length() / 2);
            }
            List<Result> heldByS3 = rig.replacedSpools.get("s3").get(0).heldWhenReplaced();
            assertFalse(heldByS3.isEmpty(), "s3's spool holds results while the collector is down");
            damagePageHolding(rig.agent("s3").spool(), "\"end_epoch_millis\":" + heldByS3.get(heldByS3.size() / 2).end());

            long back = rig.collector.start(Duration.ofSeconds(90));
            for (AgentNode a : rig.agents) {
                a.start();
            }
            for (AgentNode a : rig.agents) {
                assertTrue(a.process().awaitLog(Pattern.compile("was corrupt"), Duration.ofSeconds(60)),
                        a.site + " says its spool was corrupt");
                assertTrue(a.process().alive(), a.site + " keeps running");
            }
            String catchUp = catchUpText(rig.catchUp(back, CATCH_UP_BOUND));
            rig.awaitArchivedWindows(6, Duration.ofSeconds(120));
            String metrics = rig.collector.metrics();
            for (AgentNode a : rig.agents) {
                assertTrue(metrics.contains("linkprobe_agent_spool_recovered_total{site=\"" + a.site + "\"} 1.0"),
                        a.site + " recovery counted: " + metrics.lines().filter(l -> l.contains("recovered")).toList());
            }
            Ledger.Tally t = rig.finish(DRAIN);
            rig.report(t, "garbage (s1), truncated (s2), a damaged page (s3); salvaged results delivered " + catchUp
                    + " after the collector and agents were back");
            assertNothingLostOrDuplicated(t);
        }
    }

    /**
     * A buggy or old agent pushes issue 7's impossible values (lost_forward 10¹² for 24 sent,
     * received = 1000 × sent, an RTT of 1e308) with a real site's token: each is refused 400,
     * counted as implausible, never seen in /metrics nor the archive, and the real agents' results
     * all arrive.
     */
    @Test
    @Timeout(240)
    void impossibleValuesAreRefusedAndTheRealResultsAllArrive() throws Exception {
        try (Rig rig = Rig.start("impossible-values", 3)) {
            rig.awaitArchivedWindows(2, Duration.ofSeconds(90));
            long now = System.currentTimeMillis();
            AgentIdentity buggy = new AgentIdentity("s1", "buggy-s1", "boot", "0.0.1", Map.of(), AgentIdentity.Contract.NONE);
            LatencyWindow.RttSummary rtt = new LatencyWindow.RttSummary(900, 1_000, 1_100, 1_200, 1_300, 1_050);
            List<Sample> impossible = List.of(
                    new LatencyWindow("hub", now - 5_000, now, 24, 24, 1_000_000_000_000L, 0, 0, 0, rtt, 50, null, null,
                            1_056, 1_056, null, null, new int[] {1_000}),
                    new LatencyWindow("hub", now - 5_000, now, 24, 24_000, 0, 0, 0, 0, rtt, 50, null, null,
                            1_056, 1_056, null, null, new int[] {1_000}),
                    new LatencyWindow("hub", now - 5_000, now, 24, 24, 0, 0, 0, 0,
                            new LatencyWindow.RttSummary(900, 1_000, 1_100, 1_200, 1e308, 1_050), 50, null, null,
                            1_056, 1_056, null, null, new int[] {1_000}));
            for (int i = 0; i < impossible.size(); i++) {
                HttpResponse<String> r = rig.collector.push(rig.tokens.get("s1"),
                        Json.mapper().writeValueAsString(new PushBatch(buggy, 1_000 + i, List.of(impossible.get(i)))));
                assertEquals(400, r.statusCode(), r.body());
                assertTrue(r.body().startsWith("implausible push: samples[0]."), r.body());
                rig.report("    impossible push " + (i + 1) + " -> " + r.statusCode() + " " + r.body().strip());
            }
            String metrics = rig.collector.metrics();
            assertTrue(metrics.contains("linkprobe_collector_rejected_total{reason=\"implausible\"} 3.0"));
            assertTrue(metrics.lines().filter(l -> l.startsWith("linkprobe_"))
                    .noneMatch(l -> l.contains("E12") || l.contains("E308")), "no impossible value in /metrics");
            rig.awaitArchivedWindows(4, Duration.ofSeconds(90));
            Ledger.Tally t = rig.finish(DRAIN);
            assertTrue(Result.archive(rig.collector.archive()).stream().noneMatch(r -> r.agentId().equals("buggy-s1")),
                    "nothing of the refused pushes was stored");
            rig.report(t, "3 impossible pushes refused 400 implausible");
            assertNothingLostOrDuplicated(t);
        }
    }

    /** Overwrites the file page holding {@code marker} with noise (the spool was closed: no WAL). */
    static void damagePageHolding(Path file, String marker) throws Exception {
        byte[] all = Files.readAllBytes(file);
        int pageSize = ((all[16] & 0xFF) << 8) | (all[17] & 0xFF);
        byte[] needle = marker.getBytes(StandardCharsets.US_ASCII);
        int at = -1;
        outer:
        for (int i = 0; i <= all.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (all[i + j] != needle[j]) {
                    continue outer;
                }
            }
            at = i;
            break;
        }
        assertTrue(at >= 0, marker + " is in " + file);
        byte[] noise = new byte[pageSize];
        new Random(at).nextBytes(noise);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek((long) (at / pageSize) * pageSize);
            f.write(noise);
        }
    }
}
