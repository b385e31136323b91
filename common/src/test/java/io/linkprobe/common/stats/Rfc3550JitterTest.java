package io.linkprobe.common.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class Rfc3550JitterTest {
    @Test
    void estimatorFollowsJPlusDMinusJOver16() {
        // RTTs 10, 14, 12, 20: |D| = 4, 2, 8
        // J = 0 + (4 - 0) / 16 = 0.25
        // J = 0.25 + (2 - 0.25) / 16 = 0.359375
        // J = 0.359375 + (8 - 0.359375) / 16 = 0.8369140625
        assertEquals(0.8369140625, Rfc3550Jitter.of(10, 14, 12, 20), 1e-12);
    }

    @Test
    void constantRttHasNoJitterAndOneValueIsNotADifference() {
        assertEquals(0.0, Rfc3550Jitter.of(5, 5, 5, 5));
        assertEquals(0.0, Rfc3550Jitter.of(42));
    }

    @Test
    void runningEstimateCarriesAcrossFeeds() {
        Rfc3550Jitter j = new Rfc3550Jitter();
        j.add(10);
        j.add(14);
        double afterFirstWindow = j.value();
        j.add(12);
        j.add(20);
        assertEquals(0.25, afterFirstWindow, 1e-12);
        assertEquals(Rfc3550Jitter.of(10, 14, 12, 20), j.value(), 1e-12);
    }
}
