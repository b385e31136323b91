package io.linkprobe.demo.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.linkprobe.common.wire.AgentIdentity;
import io.linkprobe.common.wire.Json;
import io.linkprobe.common.wire.LatencyWindow;
import io.linkprobe.common.wire.PushBatch;
import io.linkprobe.common.wire.Sample;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The collector broken under three agents: killed with -9, its disk full, impossible values pushed at it. */
@Tag("lab")
class CollectorChaosIT {
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
                catchUps.add(Scenarios.catchUpText(rig.catchUp(back, Scenarios.CATCH_UP_BOUND)));
            }
            rig.awaitArchivedWindows(6, Duration.ofSeconds(90));
            Ledger.Tally t = rig.finish(Scenarios.DRAIN);
            rig.report(t, "catch-up after each restart: " + String.join(", ", catchUps));
            Scenarios.assertNothingLostOrDuplicated(t);
        }
    }

    /**
     * The archive on a 48 MiB tmpfs that fills up while agents push (root only: it mounts one):
     * pushes are refused 503 and kept in the spools, and after space returns the collector stores
     * them without a restart, each once.
     */
    @Test
    @Timeout(360)
    void aFullArchiveDiskRefusesPushesAndRecoversWithoutARestart() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")),
                "skipped: mounting a small tmpfs for the archive needs root (CI runs as root)");
        Path mount = Files.createDirectories(Path.of("target", "chaos", "tmpfs-" + System.nanoTime()).toAbsolutePath());
        run("mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", mount.toString());
        try (Rig rig = Rig.start("full-disk", 3, mount.resolve("archive.db"))) {
            rig.awaitArchivedWindows(2, Duration.ofSeconds(90));
            Path filler = mount.resolve("filler");
            long filled = fill(filler);
            assertTrue(rig.collector.process().awaitLog(java.util.regex.Pattern.compile("(?i)disk is full|SQLITE_FULL|full"),
                    Duration.ofSeconds(60)), "the collector says its archive is full");
            Thread.sleep(20_000);
            String metrics = rig.collector.metrics();
            long freed = System.currentTimeMillis();
            Files.delete(filler);
            String catchUp = Scenarios.catchUpText(rig.catchUp(freed, Scenarios.CATCH_UP_BOUND));
            rig.awaitArchivedWindows(8, Duration.ofSeconds(120));
            assertTrue(rig.collector.process().alive(), "no restart was needed");
            Ledger.Tally t = rig.finish(Scenarios.DRAIN);
            rig.report(t, "archive disk full for ~20 s (" + filled / (1 << 20) + " MiB filler), " + refused(metrics)
                    + "; catch-up after space returned " + catchUp);
            Scenarios.assertNothingLostOrDuplicated(t);
        } finally {
            run("umount", mount.toString());
        }
    }

    private static String refused(String metrics) {
        return metrics.lines().filter(l -> l.startsWith("linkprobe_collector_rejected_total") && !l.endsWith(" 0.0"))
                .map(l -> l.replace("linkprobe_collector_rejected_total", "rejected")).toList().toString();
    }

    /** Writes until the filesystem is full; returns the bytes written. */
    private static long fill(Path filler) throws IOException {
        byte[] chunk = new byte[1 << 20];
        long written = 0;
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(chunk);
                written += chunk.length;
            }
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("No space left")) {
                throw e;
            }
        }
        return written;
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", command) + ": " + out);
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
            Ledger.Tally t = rig.finish(Scenarios.DRAIN);
            assertTrue(Result.archive(rig.collector.archive()).stream().noneMatch(r -> r.agentId().equals("buggy-s1")),
                    "nothing of the refused pushes was stored");
            rig.report(t, "3 impossible pushes refused 400 implausible");
            Scenarios.assertNothingLostOrDuplicated(t);
        }
    }
}
