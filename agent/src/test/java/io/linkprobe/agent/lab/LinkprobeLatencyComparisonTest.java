package io.linkprobe.agent.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * linkprobe's latency figures against irtt's and against what the delay line really did, same lab,
 * same run. irtt runs concurrently with linkprobe: on a busy machine and on a loaded link, RTT
 * drifts too much between consecutive windows to compare one after the other.
 */
@Tag("lab")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class LinkprobeLatencyComparisonTest {

    private static final Duration INTERVAL = Duration.ofMillis(10);
    private static final int IDLE_COUNT = 1000;

    @Test
    void idleRttP50IsWithinOnePercentOfIrttOnADelayedPath() {
        LinkSpec spec = LinkSpec.unshaped().withDelayMillis(20);
        try (LabNetwork lab = LabNetwork.up(spec)) {
            double[] p50s = idleRttP50s(lab);
            double deviation = p50s[0] / p50s[1] - 1;
            Figures.report("idle RTT [%s]: linkprobe p50 %.3f ms, irtt p50 %.3f ms: %+.2f %%", spec, p50s[0], p50s[1],
                    deviation * 100);
            assertTrue(Math.abs(deviation) <= 0.01, "linkprobe's idle RTT p50 is " + deviation * 100 + " % off irtt's");
        }
    }

    /**
     * irtt probes throughout linkprobe's own load on a bloated line; its probes sent in the part
     * of the load linkprobe's loaded percentiles cover (from a second after the load's start to its
     * end, {@code seconds} later) are the reference for linkprobe's loaded RTT p50. Both ends use
     * the host's default congestion control (BBR here), which keeps the queue short.
     */
    @ParameterizedTest
    @EnumSource(LinkDirection.class)
    void loadedRttP50IsWithinTwentyPercentOfConcurrentIrtt(LinkDirection direction) {
        loadedRttAgainstIrtt(direction, null);
    }

    /**
     * The same with cubic senders at both ends (what most of a site's hosts run; the responder
     * sends the download, the agent the upload): linkprobe's own load now fills the 300 ms buffer
     * as an iperf3 cubic load does ({@code LabBufferbloatTest}), and linkprobe reports that depth —
     * bufferbloat at least a third of the buffer, loaded RTT within ±20 % of a concurrent irtt's.
     */
    @ParameterizedTest
    @EnumSource(LinkDirection.class)
    void withCubicSendersTheLoadedRttShowsTheBuffersDepth(LinkDirection direction) {
        JsonNode result = loadedRttAgainstIrtt(direction, "cubic");
        double bufferbloat = LinkprobeCli.number(result, direction.jsonKey() + ".bufferbloat_ms");
        assertTrue(bufferbloat >= LabLinks.BLOATED.bufferMillis() / 3.0,
                "cubic did not fill the router's queue: bufferbloat " + bufferbloat + " ms");
    }

    /** Runs one direction against concurrent irtt, checks ±20 % and the sender's algorithm; returns the test JSON. */
    private static JsonNode loadedRttAgainstIrtt(LinkDirection direction, String congestionControl) {
        LinkSpec spec = LabLinks.BLOATED;
        try (LabNetwork lab = LabNetwork.up(spec)) {
            Irtt.startServer(lab);
            List<String> testArgs = new ArrayList<>(List.of(
                    "--direction", direction == LinkDirection.DOWN ? "down" : "up", "--duration", "10s"));
            if (congestionControl != null) {
                LinkprobeCli.startResponder(lab, "--congestion-control", congestionControl);
                testArgs.addAll(List.of("--congestion-control", congestionControl));
            } else {
                LinkprobeCli.startResponder(lab);
            }
            Irtt.Client irtt = Irtt.startClient(lab, INTERVAL, Duration.ofSeconds(90));
            JsonNode linkprobe = LinkprobeCli.test(lab, Duration.ofSeconds(75), testArgs.toArray(String[]::new));
            Irtt.Result reference = irtt.stop();
            String key = direction.jsonKey();
            double loadSeconds = LinkprobeCli.number(linkprobe, key + ".seconds");
            // The part of the load linkprobe reports on: from a second after its start (wall clock,
            // shared by the namespaces) to its end.
            Instant loadStart = Instant.ofEpochMilli((long) LinkprobeCli.number(linkprobe, key + ".start_epoch_ms"));
            Instant from = loadStart.plusSeconds(1);
            Instant to = loadStart.plusMillis(Math.round(loadSeconds * 1000));
            double irttP50 = reference.rttP50MillisBetween(epochNanos(from), epochNanos(to));
            double loaded = LinkprobeCli.number(linkprobe, key + ".loaded_rtt_ms.p50");
            double deviation = loaded / irttP50 - 1;
            String sender = linkprobe.path(key).path("congestion_control").asText("?");
            Figures.report("loaded RTT %s [%s, sender %s]: linkprobe p50 %.1f ms (p90 %.1f, idle %.1f, bufferbloat %.1f), "
                            + "concurrent irtt p50 %.1f ms over %.1f s of load: %+.1f %%", direction, spec, sender, loaded,
                    LinkprobeCli.number(linkprobe, key + ".loaded_rtt_ms.p90"),
                    LinkprobeCli.number(linkprobe, key + ".idle_rtt_ms"),
                    LinkprobeCli.number(linkprobe, key + ".bufferbloat_ms"), irttP50, loadSeconds, deviation * 100);
            if (congestionControl != null) {
                assertEquals(congestionControl, sender, "the " + key + " was not sent with " + congestionControl);
            }
            assertTrue(Math.abs(deviation) <= 0.20, "linkprobe's loaded RTT p50 is " + deviation * 100 + " % off irtt's");
            return linkprobe;
        }
    }

    /**
     * Loss per direction against what the delay line really dropped among linkprobe's probes. The
     * configured probability is only the mean of a binomial draw (±0.2 pp at 10,000 probes), so
     * the line's own count is the truth to recover; the draw itself is checked at 4 sigma.
     */
    @Test
    void lossPerDirectionIsWithinHalfAPercentagePointOfTheInjectedLoss() {
        LinkSpec spec = LinkSpec.unshaped().withDelayMillis(10).withLossPercent(2, 5);
        try (LabNetwork lab = LabNetwork.up(spec)) {
            LinkprobeCli.startResponder(lab);
            DelayLineStats before = lab.delayLineStats();
            JsonNode linkprobe = LinkprobeCli.test(lab, Duration.ofSeconds(90),
                    "--latency-only", "--count", "10000", "--interval", "1ms");
            DelayLineStats line = lab.delayLineStats().since(before);
            double sent = LinkprobeCli.number(linkprobe, "latency.sent");
            double lostUp = LinkprobeCli.number(linkprobe, "latency.lost_up");
            double lostDown = LinkprobeCli.number(linkprobe, "latency.lost_down");
            // Downstream loss is counted among the probes the reflector answered, as irtt does.
            double upPercent = 100 * lostUp / sent;
            double downPercent = 100 * lostDown / (sent - lostUp);
            List<String> failures = new ArrayList<>();
            for (LinkDirection direction : LinkDirection.values()) {
                DelayLineStats.Counters counters = line.of(direction);
                double measured = direction == LinkDirection.UP ? upPercent : downPercent;
                double configured = direction.lossPercent(spec);
                double sigma = 100 * Math.sqrt(configured / 100 * (1 - configured / 100) / counters.packetsIn());
                Figures.report("loss %s: configured %.2f %%, injected by the line %.3f %% (%d of %d), linkprobe %.3f %% "
                                + "(sent %.0f, lost up %.0f, lost down %.0f)", direction, configured, counters.lossPercent(),
                        counters.droppedLoss(), counters.packetsIn(), measured, sent, lostUp, lostDown);
                if (Math.abs(measured - counters.lossPercent()) > 0.5) failures.add(direction + ": linkprobe vs injected");
                if (Math.abs(counters.lossPercent() - configured) > 4 * sigma) failures.add(direction + ": injected vs configured");
            }
            assertTrue(failures.isEmpty(), "loss off: " + failures);
        }
    }

    /**
     * linkprobe's and irtt's idle RTT p50, measured at the same time: {linkprobe, irtt}, against the
     * responder as deployed (no flags: no busy polling). The unshaped comparisons, quiet and with a
     * busy core, against this and the collector's embedded reflector, are in StampAccuracyTest.
     */
    private static double[] idleRttP50s(LabNetwork lab) {
        Irtt.startServer(lab);
        LinkprobeCli.startResponder(lab);
        Irtt.Client irtt = Irtt.startClient(lab, INTERVAL, Duration.ofSeconds(60));
        JsonNode linkprobe = LinkprobeCli.test(lab, Duration.ofSeconds(45), "--latency-only",
                "--count", Integer.toString(IDLE_COUNT), "--interval", INTERVAL.toMillis() + "ms");
        Irtt.Result reference = irtt.stop();
        return new double[] {LinkprobeCli.number(linkprobe, "latency.rtt_ms.p50"), reference.rttP50Millis()};
    }

    private static long epochNanos(Instant instant) {
        return ChronoUnit.NANOS.between(Instant.EPOCH, instant);
    }
}
