package io.linkprobe.collector.sites;

import io.linkprobe.common.wire.AgentIdentity;
import io.linkprobe.common.wire.LatencyWindow;
import io.linkprobe.common.wire.ThroughputResult;
import java.util.Locale;

/**
 * Classifies a site as ok, degraded or down from its latest results. The thresholds are what an
 * NHS site would notice: a video consultation suffers from 1 % loss, an agent that pushes every
 * 60 s and has missed two windows is suspect, one that has missed five is gone.
 */
public final class SiteHealth {
    public static final String OK = "ok";
    public static final String DEGRADED = "degraded";
    public static final String DOWN = "down";

    static final long DEGRADED_SILENCE_MILLIS = 150_000;
    static final long DOWN_SILENCE_MILLIS = 300_000;
    public static final double DEGRADED_LOSS_RATIO = 0.01;
    /** A link delivering less than half its contract is not what was bought. */
    public static final double DEGRADED_CONTRACT_RATIO = 0.5;

    record Verdict(String health, String reason) {}

    private SiteHealth() {}

    static Verdict of(Site s, long nowMillis) {
        long silentMillis = nowMillis - s.lastPushMillis;
        if (silentMillis > DOWN_SILENCE_MILLIS) {
            return new Verdict(DOWN, "no push for " + minutes(silentMillis));
        }
        boolean anyReceived = false;
        boolean anySent = false;
        String lossy = null;
        for (LatencyWindow w : s.latestLatency.values()) {
            anySent |= w.sent() > 0;
            anyReceived |= w.received() > 0;
            if (w.sent() > 0 && w.received() == 0 && lossy == null) {
                lossy = "no reply from " + w.target();
            } else if (w.sent() > 0 && (double) w.lost() / w.sent() >= DEGRADED_LOSS_RATIO && lossy == null) {
                lossy = String.format(Locale.ROOT, "%.1f %% loss to %s", 100.0 * w.lost() / w.sent(), w.target());
            }
        }
        if (anySent && !anyReceived) {
            return new Verdict(DOWN, "no STAMP replies from any target");
        }
        if (silentMillis > DEGRADED_SILENCE_MILLIS) {
            return new Verdict(DEGRADED, "no push for " + minutes(silentMillis));
        }
        if (lossy != null) {
            return new Verdict(DEGRADED, lossy);
        }
        AgentIdentity.Contract contract = s.identity == null ? null : s.identity.expected();
        if (contract != null) {
            for (ThroughputResult r : s.latestThroughput.values()) {
                double expected = "down".equals(r.direction()) ? contract.downBytesPerSecond() : contract.upBytesPerSecond();
                if (ThroughputResult.Outcome.OK.wireName().equals(r.result()) && expected > 0
                        && r.steadyBytesPerSecond() < DEGRADED_CONTRACT_RATIO * expected) {
                    return new Verdict(DEGRADED, String.format(Locale.ROOT, "%s at %.0f %% of contract",
                            r.direction(), 100 * r.steadyBytesPerSecond() / expected));
                }
            }
        }
        return new Verdict(OK, null);
    }

    private static String minutes(long millis) {
        long minutes = millis / 60_000;
        return minutes < 120 ? minutes + " min" : (minutes / 60) + " h";
    }
}
