package io.linkprobe.common.stamp;

import java.util.SplittableRandom;

/** When the next test packet goes out. */
public enum ProbeSchedule {
    /**
     * Exponentially distributed gaps around the mean (a Poisson process, RFC 2330 §11.1.1): probes
     * neither synchronise with periodic traffic nor let a periodic queue hide from them. Gaps are
     * truncated at 8 times the mean (the tail beyond is e^-8, 0.03 % of gaps) so that one unlucky
     * draw cannot leave a link unobserved for long.
     */
    POISSON {
        @Override
        long nextGapNanos(long meanNanos, SplittableRandom random) {
            double u = random.nextDouble(); // [0, 1): 1 - u is never 0
            return Math.max(1, (long) Math.min(-Math.log(1.0 - u) * meanNanos, 8.0 * meanNanos));
        }
    },
    /** A fixed gap, for comparisons with tools that probe periodically. */
    PERIODIC {
        @Override
        long nextGapNanos(long meanNanos, SplittableRandom random) {
            return meanNanos;
        }
    };

    abstract long nextGapNanos(long meanNanos, SplittableRandom random);
}
