package io.linkprobe.collector.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
    @Test
    void percentilesAreWithinOneSixtyFourthOfTheExactValue() {
        LatencyHistogram h = new LatencyHistogram();
        SplittableRandom random = new SplittableRandom(3);
        long[] values = new long[100_000];
        for (int i = 0; i < values.length; i++) {
            // 1 ms .. 10 s, log-uniform: every power of two is exercised.
            values[i] = (long) Math.exp(Math.log(1_000) + random.nextDouble() * Math.log(10_000));
            h.recordMicros(values[i]);
        }
        Arrays.sort(values);
        assertEquals(values.length, h.count());
        for (double q : new double[] {0.5, 0.9, 0.99, 0.999}) {
            long exact = values[(int) Math.ceil(q * values.length) - 1];
            long reported = h.percentileMicros(q);
            assertTrue(reported >= exact && reported <= exact + exact / 64 + 1,
                    "p" + q + ": exact " + exact + ", reported " + reported);
        }
        assertEquals(values[values.length - 1], h.percentileMicros(1.0), values[values.length - 1] / 64.0);
    }

    @Test
    void everyValueFallsInABucketWhoseUpperBoundCoversIt() {
        for (long v : new long[] {0, 1, 63, 64, 65, 127, 128, 1_000, 65_535, 1L << 30, 3_600_000_000L}) {
            int i = LatencyHistogram.index(v);
            assertTrue(LatencyHistogram.upperBound(i) >= v, "value " + v);
            assertTrue(i == 0 || LatencyHistogram.upperBound(i - 1) < v, "value " + v);
        }
    }
}
