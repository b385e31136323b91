package io.linkprobe.common.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PercentilesTest {
    @Test
    void nearestRankOfFiveValues() {
        long[] v = {15, 20, 35, 40, 50};
        assertEquals(15, Percentiles.ofSorted(v, 5, 5));   // rank ceil(0.25) = 1
        assertEquals(20, Percentiles.ofSorted(v, 5, 30));  // rank ceil(1.5) = 2
        assertEquals(20, Percentiles.ofSorted(v, 5, 40));  // rank 2.0 exactly = 2
        assertEquals(35, Percentiles.ofSorted(v, 5, 50));  // rank ceil(2.5) = 3
        assertEquals(50, Percentiles.ofSorted(v, 5, 100)); // rank 5
    }

    @Test
    void exactRanksAreNotPushedUpByFloatingPoint() {
        long[] v = new long[10];
        for (int i = 0; i < 10; i++) {
            v[i] = i + 1;
        }
        assertEquals(9, Percentiles.ofSorted(v, 10, 90)); // 0.9 * 10 is 9.000000000000002 in doubles
        long[] hundred = new long[100];
        for (int i = 0; i < 100; i++) {
            hundred[i] = i + 1;
        }
        assertEquals(99, Percentiles.ofSorted(hundred, 100, 99));
        assertEquals(50, Percentiles.ofSorted(hundred, 100, 50));
    }

    @Test
    void onlyTheFirstNValuesCount() {
        long[] v = {1, 2, 3, 1000, 1000};
        assertEquals(3, Percentiles.ofSorted(v, 3, 99));
    }

    @Test
    void refusesPercentilesOutsideTheRangeAndEmptyInput() {
        assertThrows(IllegalArgumentException.class, () -> Percentiles.rank(0, 5));
        assertThrows(IllegalArgumentException.class, () -> Percentiles.rank(100.1, 5));
        assertThrows(IllegalArgumentException.class, () -> Percentiles.rank(50, 0));
    }
}
