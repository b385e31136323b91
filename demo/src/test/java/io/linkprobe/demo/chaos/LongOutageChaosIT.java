package io.linkprobe.demo.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The collector stopped for three minutes while three agents keep measuring into their spools;
 * after it returns, everything arrives once and within a minute (the agents' backoff is capped at
 * 30 s, with full jitter). Runs beside {@link ChaosIT}, so the suite takes about as long as this.
 */
@Tag("lab")
class LongOutageChaosIT {
    static final Duration OUTAGE = Duration.ofMinutes(3);

    @Test
    @Timeout(540)
    void aThreeMinuteOutageIsCaughtUpWithinAMinuteWithNothingLost() throws Exception {
        try (Rig rig = Rig.start("long-outage", 3)) {
            rig.awaitArchivedWindows(2, Duration.ofSeconds(90));
            rig.collector.stop();
            Thread.sleep(OUTAGE.toMillis());
            long back = rig.collector.start(Duration.ofSeconds(90));
            double catchUp = rig.catchUp(back, Duration.ofSeconds(150));
            rig.awaitArchivedWindows(44, Duration.ofSeconds(90));
            Ledger.Tally t = rig.finish(Duration.ofSeconds(90));
            long recovered = 0;
            for (AgentNode a : rig.agents) {
                recovered += a.process().log().contains("Pushes recovered after") ? 1 : 0;
            }
            rig.report(t, String.format(Locale.ROOT, "%d s outage, catch-up %.1f s (%s)", OUTAGE.toSeconds(), catchUp,
                    catchUp <= 60 ? "within 60 s" : "MISSED 60 s"));
            assertEquals(0, t.lost(), () -> "lost: " + t.problems());
            assertEquals(0, t.duplicated(), () -> "duplicated: " + t.problems());
            assertEquals(3, recovered, "each agent logged its recovery");
            assertTrue(t.produced() > 3 * 2 * 36, "three minutes of 5 s windows and health per agent: " + t.produced());
        }
    }
}
