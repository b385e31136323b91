package io.linkprobe.agent.lab;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * linkprobe's steady throughput against iperf3's, same lab, same run, down and up, at two rates
 * with realistic base RTTs: within ±3 %. Both are goodput counted at the receiver after warm-up.
 */
@Tag("lab")
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class LinkprobeThroughputComparisonTest {

    private static final int SECONDS = 10;
    private static final double TOLERANCE = 0.03;

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.linkprobe.agent.lab.LabLinks#throughput")
    void steadyThroughputIsWithinThreePercentOfIperf3(LinkSpec spec) {
        try (LabNetwork lab = LabNetwork.up(spec)) {
            LinkprobeCli.startResponder(lab);
            Iperf3.startServer(lab);
            JsonNode linkprobe = LinkprobeCli.test(lab, Duration.ofSeconds(4L * SECONDS + 60),
                    "--direction", "both", "--duration", SECONDS + "s");
            List<String> failures = new ArrayList<>();
            for (LinkDirection direction : LinkDirection.values()) {
                Iperf3.Result iperf3 = Iperf3.run(lab, direction, SECONDS);
                double steady = LinkprobeCli.number(linkprobe, direction.jsonKey() + ".bits_per_second");
                double mean = LinkprobeCli.number(linkprobe, direction.jsonKey() + ".mean_bits_per_second");
                double deviation = steady / iperf3.steadyBitsPerSecond() - 1;
                Figures.report("throughput %s [%s]: linkprobe steady %.3f Mbit/s (mean %.3f), iperf3 steady %.3f "
                                + "(mean %.3f): %+.2f %%", direction, spec, steady / 1e6, mean / 1e6,
                        iperf3.steadyBitsPerSecond() / 1e6, iperf3.meanBitsPerSecond() / 1e6, deviation * 100);
                if (Math.abs(deviation) > TOLERANCE) {
                    failures.add(String.format("%s %+.2f %%", direction, deviation * 100));
                }
            }
            assertTrue(failures.isEmpty(), "linkprobe vs iperf3 beyond ±3 % on " + spec + ": " + failures);
        }
    }
}
