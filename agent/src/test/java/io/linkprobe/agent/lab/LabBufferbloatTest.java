package io.linkprobe.agent.lab;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The router's queue really builds: irtt, running while iperf3 fills a 6 Mbit/s line with a 300 ms
 * buffer, sees the loaded RTT far above the idle one. Cubic (what a site's hosts mostly run) fills
 * the buffer; the host's default congestion control (bbr on the CI machine) is reported alongside.
 */
@Tag("lab")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class LabBufferbloatTest {

    private static final LinkSpec BLOATED = LabLinks.BLOATED;
    private static final int LOAD_SECONDS = 12;
    private static final Duration SETTLE = Duration.ofSeconds(3);
    private static final Duration INTERVAL = Duration.ofMillis(10);

    @ParameterizedTest
    @EnumSource(LinkDirection.class)
    void loadedRttIsFarAboveIdleOnABloatedLink(LinkDirection direction) {
        try (LabNetwork lab = LabNetwork.up(BLOATED)) {
            Irtt.startServer(lab);
            Iperf3.startServer(lab);
            double idle = Irtt.run(lab, INTERVAL, Duration.ofSeconds(3)).rttP50Millis();
            double cubic = loadedRtt(lab, direction, "-C", "cubic");
            // Named, not left out: a persistent iperf3 server keeps the previous test's -C for the
            // next one's data socket, so a bare second run would send the download with cubic again.
            String hostCc = hostDefaultCongestionControl();
            double hostDefault = loadedRtt(lab, direction, "-C", hostCc);
            Figures.report("lab bufferbloat %s [%s]: irtt idle p50 %.1f ms, loaded p50 %.1f ms with cubic, "
                    + "%.1f ms with the host's default congestion control (%s)", direction, BLOATED, idle, cubic,
                    hostDefault, hostCc);
            // Cubic's sawtooth drains part of the queue after each loss: a third of the buffer is the floor.
            assertTrue(cubic - idle >= BLOATED.bufferMillis() / 3.0, "cubic did not fill the router's queue");
            assertTrue(cubic <= idle + BLOATED.bufferMillis() + 30, "more queue than the configured buffer");
            assertTrue(hostDefault > idle, "no queueing at all under load");
        }
    }

    private static String hostDefaultCongestionControl() {
        try {
            return Files.readString(Path.of("/proc/sys/net/ipv4/tcp_congestion_control")).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** irtt's RTT p50 in the middle of an iperf3 load, after the queue has had time to fill. */
    private static double loadedRtt(LabNetwork lab, LinkDirection direction, String... iperf3Args) {
        CompletableFuture<Iperf3.Result> load = CompletableFuture.supplyAsync(
                () -> Iperf3.run(lab, direction, LOAD_SECONDS, iperf3Args));
        LabNetwork.sleep(SETTLE);
        Irtt.Result loaded = Irtt.run(lab, INTERVAL, Duration.ofSeconds(LOAD_SECONDS).minus(SETTLE).minusSeconds(2));
        load.join();
        return loaded.rttP50Millis();
    }
}
