package io.linkprobe.agent.probe;

import java.time.Duration;

/**
 * When the runtime calls a {@link Prober}: one of three shapes, dispatched through a
 * {@link Visitor} so that a new shape fails to compile where it must be run.
 */
public sealed interface Schedule {

    <R> R accept(Visitor<R> visitor);

    interface Visitor<R> {
        R continuous(Continuous schedule);

        R periodic(Periodic schedule);

        R budgeted(Budgeted schedule);
    }

    /**
     * The prober measures all the time (STAMP). Each probe returns what was measured since the
     * previous one and keeps measuring; the first starts it, and one that cannot start is retried
     * at the next. The runtime probes at start, at the end of every window and at shutdown.
     */
    record Continuous() implements Schedule {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.continuous(this);
        }
    }

    /**
     * Cheap probes (TCP connect) at a fixed rate, each target at its own random offset so that
     * targets are not probed together.
     *
     * @param timeout how long each probe may take (its deadline)
     */
    record Periodic(Duration every, Duration timeout) implements Schedule {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.periodic(this);
        }
    }

    /**
     * Tests that load the line (throughput): rare, with random slip, the first spread over the
     * period so that a fleet restarted together does not test together, a daily byte budget per
     * kind, and a quick return with jitter when the far end is busy.
     *
     * @param slipFraction each gap is {@code every} × a random factor in 1 ± this
     * @param firstDelayMin the first test runs at a random moment between these after start
     * @param busyRetryMin after a busy answer, the test is retried at a random moment between these
     * @param timeout a test not finished by then is logged as stuck and the next one is scheduled
     *     (its results are still filed if it finishes)
     * @param maxBytesPerDay over a sliding 24 h for this kind; 0 = no budget
     * @param bytesPerTest what the next test may use, checked against the budget; 0 = unknown
     * @param siteMaxBytesPerDay over a sliding 24 h for every budgeted kind together (the site's
     *     test traffic: {@code throughput.max_bytes_per_day}); 0 = no budget
     */
    record Budgeted(Duration every, double slipFraction, Duration firstDelayMin, Duration firstDelayMax,
                    Duration busyRetryMin, Duration busyRetryMax, Duration timeout, long maxBytesPerDay,
                    long bytesPerTest, long siteMaxBytesPerDay) implements Schedule {
        /** A kind whose bytes only its own budget bounds. */
        public Budgeted(Duration every, double slipFraction, Duration firstDelayMin, Duration firstDelayMax,
                        Duration busyRetryMin, Duration busyRetryMax, Duration timeout, long maxBytesPerDay,
                        long bytesPerTest) {
            this(every, slipFraction, firstDelayMin, firstDelayMax, busyRetryMin, busyRetryMax, timeout, maxBytesPerDay,
                    bytesPerTest, 0);
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.budgeted(this);
        }
    }
}
