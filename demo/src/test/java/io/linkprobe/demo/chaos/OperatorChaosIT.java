package io.linkprobe.demo.chaos;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What an operator does or finds: a token revoked, restored and rotated; the archive corrupt at start. */
@Tag("lab")
class OperatorChaosIT {
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
            String restoreCatchUp = Scenarios.catchUpText(rig.catchUp(restored, Scenarios.CATCH_UP_BOUND));

            String rotated = "tok-s2-rotated";
            long rotation = System.currentTimeMillis();
            rig.collector.admit("s2", rotated);
            rig.agent("s2").writeToken(rotated);
            String rotateCatchUp = Scenarios.catchUpText(rig.catchUp(rotation, Scenarios.CATCH_UP_BOUND));
            rig.awaitArchivedWindows(8, Duration.ofSeconds(120));
            Ledger.Tally t = rig.finish(Scenarios.DRAIN);
            rig.report(t, "catch-up after the token was restored " + restoreCatchUp + ", after rotation " + rotateCatchUp);
            Scenarios.assertNothingLostOrDuplicated(t);
            assertTrue(rig.agent("s1").process().log().contains("Pushes recovered after"), "s1 logs its recovery");
        }
    }

    /**
     * The collector stopped and its archive overwritten with garbage, as a failing disk leaves it:
     * it starts anyway (the file moved aside), and every result the agents produce from then on
     * is stored once. What the destroyed archive held was acked before and is counted as
     * destroyed by the test.
     */
    @Test
    @Timeout(300)
    void aCorruptArchiveAtStartIsMovedAsideAndResultsKeepArriving() throws Exception {
        try (Rig rig = Rig.start("corrupt-archive", 3)) {
            rig.awaitArchivedWindows(2, Duration.ofSeconds(90));
            rig.collector.stop();
            Path archive = rig.collector.archive();
            List<Result> before = Result.archive(archive);
            byte[] garbage = new byte[256 * 1024];
            new Random(2).nextBytes(garbage);
            Files.write(archive, garbage);
            long back = rig.collector.start(Duration.ofSeconds(90));
            assertTrue(rig.collector.process().log().toLowerCase(java.util.Locale.ROOT).contains("corrupt"),
                    "the collector says its archive was corrupt");
            String catchUp = Scenarios.catchUpText(rig.catchUp(back, Scenarios.CATCH_UP_BOUND));
            rig.awaitArchivedWindows(3, Duration.ofSeconds(90));
            Ledger.Tally t = rig.finish(Scenarios.DRAIN, before);
            rig.report(t, before.size() + " results were in the archive the test destroyed; catch-up " + catchUp);
            Scenarios.assertNothingLostOrDuplicated(t);
        }
    }
}
