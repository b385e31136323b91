package io.linkprobe.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.linkprobe.agent.push.SqliteSpool;
import io.linkprobe.common.wire.AgentHealth;
import io.linkprobe.common.wire.LatencyWindow;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An implausible result is dropped alone and counted; it never reaches the spool, so never a batch. */
class PlausibilityGateTest {
    static final long NOW = System.currentTimeMillis();

    @Test
    void implausibleResultsAreDroppedAndCountedAndTheOthersSpooled(@TempDir Path dir) throws Exception {
        try (SqliteSpool spool = SqliteSpool.open(dir.resolve("spool.db"), 1 << 20, 0)) {
            PlausibilityGate gate = new PlausibilityGate(spool, () -> NOW, "test");
            LatencyWindow impossible = new LatencyWindow("hub", NOW - 60_000, NOW, 24, 24, 1_000_000_000_000L, 0, 0, 0,
                    new LatencyWindow.RttSummary(1, 1, 1, 1, 1, 1), 0, null, null, 0, 0, null, null, new int[] {1});
            AgentHealth fine = new AgentHealth(NOW, 60, 0, 0, 0, 0);
            AgentHealth negative = new AgentHealth(NOW, 60, 0, -1, 0, 0);

            gate.file(fine);
            gate.file(impossible);
            gate.file(impossible);
            gate.file(negative);
            gate.file(fine);

            assertEquals(3, gate.droppedTotal());
            assertEquals(2, spool.pendingSamples(), "only the two plausible results");
            assertEquals(2, spool.nextBatch(10).orElseThrow().samples().size());
        }
    }
}
