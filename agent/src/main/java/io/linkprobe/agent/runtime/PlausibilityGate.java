package io.linkprobe.agent.runtime;

import io.linkprobe.agent.push.Outbox;
import io.linkprobe.common.wire.Plausibility;
import io.linkprobe.common.wire.Sample;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The door to the spool: a result goes in only if it passes {@link Plausibility}, the rules the
 * collector applies to every push. One implausible result would make the collector refuse the
 * whole batch it travels in (400, dropped by the pusher with every good result beside it), so it is
 * dropped here, alone, and counted ({@code implausible_dropped_total} in the agent's health). It is
 * a bug in the agent: logged once per kind with the rule it broke, at debug level after that.
 */
final class PlausibilityGate {
    private static final Logger log = LoggerFactory.getLogger(PlausibilityGate.class);

    private final Outbox outbox;
    private final LongSupplier wallClockMillis;
    private final String version;
    private final AtomicLong dropped = new AtomicLong();
    private final Set<Sample.Kind> logged = EnumSet.noneOf(Sample.Kind.class);

    PlausibilityGate(Outbox outbox, LongSupplier wallClockMillis, String version) {
        this.outbox = outbox;
        this.wallClockMillis = wallClockMillis;
        this.version = version;
    }

    /** Spools {@code sample} if it is plausible; otherwise drops and counts it. */
    void file(Sample sample) {
        Plausibility.Problem problem = Plausibility.check(sample, Plausibility.TimeRange.agent(wallClockMillis.getAsLong()));
        if (problem == null) {
            outbox.add(sample);
            return;
        }
        dropped.incrementAndGet();
        boolean first;
        synchronized (logged) {
            first = logged.add(sample.kind());
        }
        if (first) {
            log.error("Dropped an implausible {} result{} before spooling it: {}. This is a bug in the agent "
                    + "(version {}); please report it with this line. Further {} results that fail a rule are dropped "
                    + "and counted (implausible_dropped_total in the agent's health) without a log line.",
                    sample.kind().wireName(), sample.target() == null ? "" : " for target '" + sample.target() + "'",
                    problem, version, sample.kind().wireName());
        } else {
            log.debug("Dropped an implausible {} result: {}", sample.kind().wireName(), problem);
        }
    }

    /** Results dropped as implausible since the agent started. */
    long droppedTotal() {
        return dropped.get();
    }
}
