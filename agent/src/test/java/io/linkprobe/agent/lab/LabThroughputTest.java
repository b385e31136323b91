package io.linkprobe.agent.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The lab's rates hold: iperf3 through the router's tbf gets the configured line rate's goodput. */
@Tag("lab")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class LabThroughputTest {

    private static final int SECONDS = 10;
    private static final double TOLERANCE = 0.03;

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.linkprobe.agent.lab.LabLinks#throughput")
    void iperf3ReceivesTheConfiguredRateInEachDirection(LinkSpec spec) {
        try (LabNetwork lab = LabNetwork.up(spec)) {
            Iperf3.startServer(lab);
            DelayLineStats before = lab.delayLineStats();
            List<String> failures = new ArrayList<>();
            for (LinkDirection direction : LinkDirection.values()) {
                Iperf3.Result result = Iperf3.run(lab, direction, SECONDS);
                long lineRate = direction.rateBitsPerSecond(spec);
                double expected = TcpGoodput.expectedBitsPerSecond(lineRate);
                double deviation = result.steadyBitsPerSecond() / expected - 1;
                Figures.report("lab throughput %s [%s]: iperf3 steady %.3f Mbit/s (mean %.3f), expected goodput %.3f "
                                + "of line %.1f: %+.2f %%, %d retransmits", direction, spec,
                        result.steadyBitsPerSecond() / 1e6, result.meanBitsPerSecond() / 1e6, expected / 1e6,
                        lineRate / 1e6, deviation * 100, result.retransmits());
                if (Math.abs(deviation) > TOLERANCE) {
                    failures.add(String.format("%s: %+.2f %% off the expected goodput", direction, deviation * 100));
                }
            }
            DelayLineStats used = lab.delayLineStats().since(before);
            Figures.report("lab throughput delay line: largest packet up %d / down %d bytes, ring overruns %d / %d, "
                            + "release lateness p99 %d / %d us", used.up().maxPacketBytes(), used.down().maxPacketBytes(),
                    used.up().droppedFull(), used.down().droppedFull(), used.up().lateP99Micros(), used.down().lateP99Micros());
            assertTrue(failures.isEmpty(), "iperf3 off the configured rate on " + spec + ": " + failures);
            // Larger than the MTU would mean GSO/TSO super-packets reached the delay line and tbf.
            assertTrue(used.up().maxPacketBytes() <= TcpGoodput.MTU && used.down().maxPacketBytes() <= TcpGoodput.MTU,
                    "packets above the MTU in the router");
            assertEquals(0, used.up().droppedFull() + used.down().droppedFull(), "the delay line was overrun");
        }
    }
}
