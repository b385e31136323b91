package io.linkprobe.agent.push;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One outage of the push path, for the line logged when it is over: from the first push the
 * collector did not accept (no answer, 5xx, 429, 401/403) to the first it accepted, then the
 * catch-up until the spool is empty again. A failure during the catch-up continues the outage.
 * Confined to the pusher's thread.
 *
 * <pre>
 * Pushes recovered after a 3m12s outage (41 failed attempts, the last: no answer); delivered 412
 * results in 5 batches, the spool emptied 1.4 s after the first accepted push
 * </pre>
 */
final class Outage {
    private static final Logger log = LoggerFactory.getLogger(Outage.class);

    private long startedNanos;
    private long recoveredNanos;
    private long failedAttempts;
    private String lastFailure;
    private long deliveredSamples;
    private long deliveredBatches;

    void failed(String why, long nowNanos) {
        if (startedNanos == 0) {
            startedNanos = nowNanos;
        }
        recoveredNanos = 0;
        failedAttempts++;
        lastFailure = why;
    }

    void delivered(int samples, long nowNanos) {
        if (startedNanos == 0) {
            return;
        }
        if (recoveredNanos == 0) {
            recoveredNanos = nowNanos;
        }
        deliveredSamples += samples;
        deliveredBatches++;
    }

    /** The spool is empty: if an outage has ended, logs its line once and returns it; else null. */
    String caughtUp(long nowNanos) {
        if (startedNanos == 0 || recoveredNanos == 0) {
            return null;
        }
        String line = String.format(Locale.ROOT, "Pushes recovered after a %s outage (%d failed attempt%s, the last: %s); "
                        + "delivered %d results in %d batch%s, the spool emptied %.1f s after the first accepted push",
                human(recoveredNanos - startedNanos), failedAttempts, failedAttempts == 1 ? "" : "s", lastFailure,
                deliveredSamples, deliveredBatches, deliveredBatches == 1 ? "" : "es", (nowNanos - recoveredNanos) / 1e9);
        log.info(line);
        startedNanos = 0;
        recoveredNanos = 0;
        failedAttempts = 0;
        deliveredSamples = 0;
        deliveredBatches = 0;
        return line;
    }

    static String human(long nanos) {
        long s = TimeUnit.NANOSECONDS.toSeconds(nanos);
        if (s < 60) {
            return String.format(Locale.ROOT, "%.1fs", nanos / 1e9);
        }
        if (s < 3_600) {
            return (s / 60) + "m" + (s % 60) + "s";
        }
        return (s / 3_600) + "h" + (s % 3_600 / 60) + "m";
    }
}
