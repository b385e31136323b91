package io.linkprobe.demo.chaos;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Agents broken under load: killed with -9 as they push, their spools corrupt when they start. */
@Tag("lab")
class AgentChaosIT {
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
            Ledger.Tally t = rig.finish(Scenarios.DRAIN);
            rig.report(t, "3 kills, one per agent");
            Scenarios.assertNothingLostOrDuplicated(t);
            assertTrue(rig.agents.stream().allMatch(a -> a.boots().size() == 2));
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
            Scenarios.damagePageHolding(rig.agent("s3").spool(), "\"end_epoch_millis\":" + heldByS3.get(heldByS3.size() / 2).end());

            long back = rig.collector.start(Duration.ofSeconds(90));
            for (AgentNode a : rig.agents) {
                a.start();
            }
            for (AgentNode a : rig.agents) {
                assertTrue(a.process().awaitLog(Pattern.compile("was corrupt"), Duration.ofSeconds(60)),
                        a.site + " says its spool was corrupt");
                assertTrue(a.process().alive(), a.site + " keeps running");
            }
            String catchUp = Scenarios.catchUpText(rig.catchUp(back, Scenarios.CATCH_UP_BOUND));
            rig.awaitArchivedWindows(6, Duration.ofSeconds(120));
            String metrics = rig.collector.metrics();
            for (AgentNode a : rig.agents) {
                assertTrue(metrics.contains("linkprobe_agent_spool_recovered_total{site=\"" + a.site + "\"} 1.0"),
                        a.site + " recovery counted: " + metrics.lines().filter(l -> l.contains("recovered")).toList());
            }
            Ledger.Tally t = rig.finish(Scenarios.DRAIN);
            rig.report(t, "garbage (s1), truncated (s2), a damaged page (s3); salvaged results delivered " + catchUp
                    + " after the collector and agents were back");
            Scenarios.assertNothingLostOrDuplicated(t);
        }
    }
}
