package io.linkprobe.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A kind's daily budget, and the site's budget that every kind's bytes count in. */
class DailyBudgetTest {
    @Test
    void videoBytesCountInTheSitesBudgetAsWellAsTheirOwn() {
        DailyBudget site = new DailyBudget();
        DailyBudget throughput = new DailyBudget(site);
        DailyBudget video = new DailyBudget(site);

        video.used(40_000_000);
        assertTrue(video.allows(40_000_000, 100_000_000, 0), "within video's own 100 MB");
        assertFalse(video.allows(70_000_000, 100_000_000, 0), "past video's own 100 MB");
        // The site's 100 MB (throughput.max_bytes_per_day) holds 40 MB of video already.
        assertTrue(throughput.allows(60_000_000, 100_000_000, 100_000_000));
        assertFalse(throughput.allows(61_000_000, 100_000_000, 100_000_000), "video's bytes count in the site's budget");
        throughput.used(50_000_000);
        assertFalse(video.allows(20_000_000, 0, 100_000_000), "throughput's bytes count for the video test too");
        assertTrue(video.allows(10_000_000, 0, 100_000_000));
        assertTrue(video.allows(1L << 40, 0, 0), "no budget at all: 0 and 0");
    }
}
