package io.linkprobe.common.wire;

import java.time.Duration;

/**
 * Whether a sample's values can all be true at once: the consistency rules between its fields,
 * written once and applied at both ends. The collector refuses a push holding an implausible
 * sample (400, reason {@code implausible}), so that one buggy or old agent cannot poison counters
 * for good (a {@code lost_forward} of 10¹² for 24 packets sent stays in
 * {@code linkprobe_packets_lost_total} for ever); the agent checks every result before it spools
 * it and drops the implausible one alone, so that it never takes a batch down with it. A healthy
 * agent never trips them: the rules are what the measuring code guarantees by construction, and
 * tests built from real agent output hold them to it.
 *
 * <p>The rules, per kind ({@code ≤ bound} where the bound is named below):
 * <ul>
 *   <li>every sample: {@code end_epoch_millis} inside the {@link TimeRange} (not before the oldest
 *       time the archive keeps, nor beyond the clock-skew allowance into the future);
 *       {@code start_epoch_millis ≤ end_epoch_millis}; counts ≥ 0; numbers finite.
 *   <li>latency: {@code lost_forward + lost_backward ≤ sent};
 *       {@code received ≤ sent + duplicates} (and with the losses: every packet sent is received or
 *       lost, once); {@code reordered ≤ received}; an RTT summary exactly when something was
 *       received, ordered {@code min ≤ p50 ≤ p90 ≤ p99 ≤ max} with {@code mean} in
 *       {@code [min, max]}; {@code rtt_micros} no longer than {@code received}; every RTT, jitter
 *       and IPDV value ≤ the window's {@code timeout_millis} (a reply later than the timeout is
 *       lost, not measured), or ≤ {@value #MAX_RTT_MICROS} µs for a window that does not carry
 *       its timeout (the agent's longest {@code latency.timeout}).
 *   <li>throughput: {@code seconds ≤ }{@value #MAX_TEST_SECONDS} and within the result's start and
 *       end; rates ≤ {@value #MAX_RATE_BYTES_PER_SECOND} B/s (400 Gbit/s); the mean rate is
 *       {@code bytes / seconds} (within 1 %); the steady rate, measured over at least one whole
 *       interval of the test, is at most what the test's bytes allow in one interval (twice
 *       that, for an interval the timer cut short); probes under load {@code received ≤ sent},
 *       loaded RTTs ordered and within {@value #MAX_RTT_MICROS} µs.
 *   <li>connect: a success carries its time, a failure none; the time ≤
 *       {@value #MAX_CONNECT_MICROS} µs (the agent's longest {@code connect.timeout}).
 *   <li>health: counts ≥ 0.
 * </ul>
 *
 * <p>Names, enumerations and identity fields are not plausibility but form; the collector's push
 * validation checks those (and {@link Names} the names, at both ends).
 */
public final class Plausibility {
    /** 2020-01-01: anything earlier is an unset clock, not an old measurement. */
    public static final long MIN_EPOCH_MILLIS = 1_577_836_800_000L;
    /** Agents' clocks may run a little fast; a result from further in the future is a broken clock. */
    public static final long MAX_CLOCK_SKEW_MILLIS = 10 * 60_000L;
    /** The agent's longest {@code latency.timeout}: the bound for windows that do not carry theirs. */
    public static final long MAX_RTT_MICROS = 60_000_000L;
    /** The agent's longest {@code connect.timeout}. */
    public static final long MAX_CONNECT_MICROS = 3_600_000_000L;
    /** 400 Gbit/s: faster than any access link this measures, by orders of magnitude. */
    public static final double MAX_RATE_BYTES_PER_SECOND = 400e9 / 8;
    /**
     * The agent's longest {@code throughput.duration} is 60 s; a direction also spends its last
     * interval and the responder's stop in its {@code seconds}: twice that is the bound.
     */
    public static final double MAX_TEST_SECONDS = 120;
    /** How far {@code mean × seconds} may stray from {@code bytes} (rounding in JSON doubles). */
    static final double MEAN_TOLERANCE = 0.01;
    /** {@code seconds} against the wall-clock span: the two clocks tick apart a little. */
    static final double SPAN_SLACK_SECONDS = 1;

    private Plausibility() {}

    /** What is wrong, and where: {@code field} as it is named on the wire, {@code rtt.p50}. */
    public record Problem(String field, String message) {
        @Override
        public String toString() {
            return field + " " + message;
        }
    }

    /**
     * The times a measurement may end in.
     *
     * @param oldestMillis earlier is refused (the archive would not keep it, or the clock was unset)
     * @param newestMillis later is refused (a clock running fast beyond the allowance)
     */
    public record TimeRange(long oldestMillis, long newestMillis) {
        /** At the collector: not older than the archive keeps, not beyond the skew allowance ahead. */
        public static TimeRange collector(long nowMillis, Duration retention) {
            return new TimeRange(Math.max(MIN_EPOCH_MILLIS, nowMillis - retention.toMillis()),
                    nowMillis + MAX_CLOCK_SKEW_MILLIS);
        }

        /** At the agent, which knows no retention: a set clock, and not ahead of its own clock. */
        public static TimeRange agent(long nowMillis) {
            return new TimeRange(MIN_EPOCH_MILLIS, nowMillis + MAX_CLOCK_SKEW_MILLIS);
        }
    }

    /** The first implausible field of {@code sample}, or null when every rule holds. */
    public static Problem check(Sample sample, TimeRange range) {
        try {
            PlausibilityRules.time("end_epoch_millis", sample.endEpochMillis(), range);
            sample.accept(PlausibilityRules.INSTANCE);
            return null;
        } catch (PlausibilityRules.Implausible e) {
            return e.problem;
        }
    }
}
