package io.linkprobe.agent.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The video-readiness test ({@code linkprobe-agent test HUB --video --json}) against what the link
 * really did: its per-direction loss against the delay line's own drop counts, its jitter and delay
 * variation against irtt sending call-shaped packets ({@code -i 8ms -l 1200}) at the same time, and
 * its verdict and ladder on three lines: a bloated copper line under a bulk upload, a 20 Mbit/s
 * line and a 5 Mbit/s line. Each test prints what it measured (target/lab-figures.txt).
 */
@Tag("lab")
@Tag("video-lab") // .ci/run runs it as a step of its own, with its own time bound
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class LinkprobeVideoTest {

    private static final Duration CALL = Duration.ofSeconds(20);

    /** A call alone: its losses per direction are the delay line's drops, within 2 packets. */
    @Test
    void lossPerDirectionEqualsTheDelayLinesDrops() {
        LinkSpec spec = LinkSpec.shapedMbit(20, 20).withDelayMillis(10).withLossPercent(2, 3);
        try (LabNetwork lab = LabNetwork.up(spec)) {
            LinkprobeCli.startResponder(lab);
            DelayLineStats before = lab.delayLineStats();
            JsonNode video = LinkprobeCli.test(lab, Duration.ofSeconds(75), "--video", "--calls", "1").path("video");
            DelayLineStats line = lab.delayLineStats().since(before);
            List<String> failures = new ArrayList<>();
            for (LinkDirection d : LinkDirection.values()) {
                String key = d == LinkDirection.UP ? "up" : "down";
                DelayLineStats.Counters c = line.of(d);
                long dropped = c.droppedLoss() + c.droppedFull();
                double lost = LinkprobeCli.number(video, key + ".lost");
                Figures.report("video loss %s [%s]: linkprobe lost %.0f of %.0f (%.2f %%, longest burst %.0f), the delay "
                                + "line dropped %d of %d it carried", d, spec, lost, LinkprobeCli.number(video, key + ".packets"),
                        LinkprobeCli.number(video, key + ".loss_percent"), LinkprobeCli.number(video, key + ".longest_burst"),
                        dropped, c.packetsIn());
                if (Math.abs(lost - dropped) > 2) failures.add(d + ": linkprobe " + lost + " vs line " + dropped);
            }
            assertTrue(failures.isEmpty(), "loss per direction off the line's drops: " + failures);
        }
    }

    /**
     * Jitter and delay variation per direction within ±20 % of irtt's, irtt sending the same
     * packet size at the same interval ({@code -i 8ms -l 1200}) through the same line at the same
     * time, its probes taken over the span of linkprobe's call. The variation comes from the line's
     * queue, filled both ways by a cubic bulk transfer ({@code iperf3 --bidir}): both flows see
     * one FIFO queue, as calls do beside a site's other traffic. (The delay line's own jitter is
     * no fair referee here: it keeps FIFO order by holding a packet until the one before it has
     * left, so of two periodic flows the one that follows the other closely is held more, which
     * depends on their phase.)
     */
    @Test
    void jitterAndDelayVariationAreWithinTwentyPercentOfConcurrentIrtt() {
        LinkSpec spec = LinkSpec.shapedMbit(6, 6).withBufferMillis(100).withDelayMillis(10);
        try (LabNetwork lab = LabNetwork.up(spec)) {
            Irtt.startServer(lab);
            Iperf3.startServer(lab);
            LinkprobeCli.startResponder(lab);
            CompletableFuture<ProcessResult> bulk = CompletableFuture.supplyAsync(() -> lab.runInSite(Duration.ofSeconds(80),
                    List.of("iperf3", "-c", lab.hubAddress(), "-p", Integer.toString(Iperf3.PORT), "-t", "50", "--bidir",
                            "-C", "cubic")));
            LabNetwork.sleep(Duration.ofSeconds(3)); // the queues fill first
            Irtt.Client irtt = Irtt.startClient(lab, Duration.ofMillis(8), Duration.ofSeconds(60), "-l", "1200");
            JsonNode video = LinkprobeCli.test(lab, Duration.ofSeconds(75), "--video", "--calls", "1").path("video");
            irtt.process().destroy(); // irtt stops on SIGTERM and still writes its JSON
            long from = (long) LinkprobeCli.number(video, "start_epoch_ms") * 1_000_000L;
            long to = from + (long) (LinkprobeCli.number(video, "seconds") * 1e9);
            IrttOneWay reference = IrttOneWay.parse(irtt.awaitJson(), from, to);
            bulk.join();
            List<String> failures = new ArrayList<>();
            for (LinkDirection d : LinkDirection.values()) {
                String key = d == LinkDirection.UP ? "up" : "down";
                IrttOneWay.Direction ref = d == LinkDirection.UP ? reference.up() : reference.down();
                double jitter = LinkprobeCli.number(video, key + ".jitter_ms");
                double pdv = LinkprobeCli.number(video, key + ".delay_variation_ms");
                double jitterOff = jitter / ref.jitterMillis() - 1;
                double pdvOff = pdv / ref.delayVariationMillis() - 1;
                Figures.report("video jitter %s [%s, iperf3 --bidir cubic beside]: linkprobe jitter %.2f ms, delay "
                                + "variation %.2f ms, loss %.2f %%; concurrent irtt -i 8ms -l 1200 jitter %.2f ms (its mean "
                                + "IPDV %.2f ms), delay variation %.2f ms over %d packets: %+.1f %% / %+.1f %%", d, spec, jitter,
                        pdv, LinkprobeCli.number(video, key + ".loss_percent"), ref.jitterMillis(), ref.meanIpdvMillis(),
                        ref.delayVariationMillis(), ref.samples(), jitterOff * 100, pdvOff * 100);
                if (Math.abs(jitterOff) > 0.20) failures.add(d + " jitter " + jitterOff * 100 + " %");
                if (Math.abs(pdvOff) > 0.20) failures.add(d + " delay variation " + pdvOff * 100 + " %");
            }
            assertTrue(failures.isEmpty(), "off irtt by more than 20 %: " + failures);
        }
    }

    /** 2 Mbit/s with a 300 ms modem buffer, a cubic bulk upload filling it: no call can be held. */
    @Test
    void aBloatedCopperLineUnderABulkUploadIsNotReady() {
        LinkSpec spec = LinkSpec.shapedMbit(2, 2).withBufferMillis(300).withDelayMillis(10);
        try (LabNetwork lab = LabNetwork.up(spec)) {
            Iperf3.startServer(lab);
            LinkprobeCli.startResponder(lab);
            CompletableFuture<Iperf3.Result> upload = CompletableFuture.supplyAsync(
                    () -> Iperf3.run(lab, LinkDirection.UP, 40, "-C", "cubic"));
            LabNetwork.sleep(Duration.ofSeconds(4)); // the upload's queue fills first
            JsonNode video = LinkprobeCli.test(lab, Duration.ofSeconds(75), "--video").path("video");
            Iperf3.Result bulk = upload.join();
            report("bloated copper + bulk upload", spec, video, bulk.meanBitsPerSecond() / 1e6);
            assertEquals("not_ready", video.path("verdict").asText(), "verdict: " + video);
            assertEquals(0, video.path("calls").asInt(), "calls: " + video);
        }
    }

    /** 20 Mbit/s, 20 ms base RTT: a call is ready, and 8 at once (9.6 Mbit/s each way) fit. */
    @Test
    void aTwentyMegabitLineIsReadyAndCarriesTheLaddersTop() {
        LinkSpec spec = LinkSpec.shapedMbit(20, 20).withDelayMillis(10);
        try (LabNetwork lab = LabNetwork.up(spec)) {
            LinkprobeCli.startResponder(lab);
            JsonNode video = LinkprobeCli.test(lab, Duration.ofSeconds(100), "--video").path("video");
            report("20 Mbit/s", spec, video, 0);
            assertEquals("ready", video.path("verdict").asText(), "verdict: " + video);
            assertEquals(8, video.path("calls").asInt(), "calls: " + video);
            assertEquals("max_calls", video.path("calls_limit").asText());
        }
    }

    /** 5 Mbit/s: four calls (4.8 Mbit/s) fit, six (7.2 Mbit/s) do not. */
    @Test
    void aFiveMegabitLineStopsAtTheCallsThatFit() {
        LinkSpec spec = LinkSpec.shapedMbit(5, 5).withDelayMillis(10).withBufferMillis(100);
        try (LabNetwork lab = LabNetwork.up(spec)) {
            LinkprobeCli.startResponder(lab);
            JsonNode video = LinkprobeCli.test(lab, Duration.ofSeconds(100), "--video").path("video");
            report("5 Mbit/s", spec, video, 0);
            assertEquals(4, video.path("calls").asInt(), "calls: " + video);
            assertEquals("verdict", video.path("calls_limit").asText());
        }
    }

    private static void report(String what, LinkSpec spec, JsonNode v, double bulkMbps) {
        StringBuilder ladder = new StringBuilder();
        for (JsonNode s : v.path("ladder")) {
            ladder.append(String.format(java.util.Locale.ROOT, " %d:%s(loss %.2f%%, jitter %.1f ms, rtt p95 %.0f ms, MOS %.2f)",
                    s.path("calls").asInt(), s.path("verdict").asText(), s.path("worst_loss_percent").asDouble(),
                    s.path("worst_jitter_ms").asDouble(), s.path("worst_rtt_p95_ms").asDouble(), s.path("mos").asDouble()));
        }
        Figures.report("video %s [%s]: verdict %s (%s), MOS %.2f, loss up %.2f %% / down %.2f %%, jitter up %.2f / down "
                        + "%.2f ms, delay variation up %.1f / down %.1f ms, RTT p50 %.1f / p95 %.1f ms; carries %d calls "
                        + "(stopped by %s);%s; %.1f MB moved%s", what, spec, v.path("verdict").asText(),
                v.path("reason").asText("-"), v.path("mos").asDouble(), v.path("up").path("loss_percent").asDouble(),
                v.path("down").path("loss_percent").asDouble(), v.path("up").path("jitter_ms").asDouble(),
                v.path("down").path("jitter_ms").asDouble(), v.path("up").path("delay_variation_ms").asDouble(),
                v.path("down").path("delay_variation_ms").asDouble(), v.path("rtt_ms").path("p50").asDouble(),
                v.path("rtt_ms").path("p95").asDouble(), v.path("calls").asInt(), v.path("calls_limit").asText(),
                ladder, v.path("bytes").asDouble() / 1e6,
                bulkMbps > 0 ? String.format(java.util.Locale.ROOT, "; the bulk upload got %.2f Mbit/s", bulkMbps) : "");
    }
}
