package io.linkprobe.collector.upgrades;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class VerdictTest {
    static final Figures COPPER = figures(2, 0.5, 30, 0.001, 0.001, "D");

    static Figures figures(double down, double up, double rttP95, double lossUp, double lossDown, String grade) {
        return new Figures(50, 50, down, down * 0.9, up, up * 0.9, 1000, rttP95 / 2, rttP95, lossUp, lossDown,
                grade, null);
    }

    static Verdict.Outcome decide(Figures after) {
        return Verdict.decide(COPPER, after, 80, 20).outcome();
    }

    @Test
    void ratesAndLatencyMetIsDelivered() { // RTT p95 not worse: at most 30 ms × 1.1 + 2 ms = 35 ms
        assertEquals(Verdict.Outcome.DELIVERED, decide(figures(72, 18, 34.9, 0.002, 0, "B")));
    }

    @Test
    void ratesJustBelowNinetyPercentIsPartly() {
        assertEquals(Verdict.Outcome.PARTLY_DELIVERED, decide(figures(71.9, 18, 12, 0, 0, "A")));
    }

    @Test
    void worseLatencyLossOrGradeIsPartly() {
        assertEquals(Verdict.Outcome.PARTLY_DELIVERED, decide(figures(80, 20, 35.1, 0, 0, "A")));
        assertEquals(Verdict.Outcome.PARTLY_DELIVERED, decide(figures(80, 20, 12, 0, 0.0021, "A")));
        assertEquals(Verdict.Outcome.PARTLY_DELIVERED, decide(figures(80, 20, 12, 0, 0, "C")));
    }

    @Test
    void videoReadinessNotReadyOrWorseThanBeforeIsPartlyUnmeasuredIsNoMatter() {
        Figures fibre = figures(80, 20, 12, 0, 0, "A");
        assertEquals(Verdict.Outcome.DELIVERED, decide(withVideo(fibre, "ready")));
        assertEquals(Verdict.Outcome.DELIVERED, decide(withVideo(fibre, "marginal")), "copper had no video test");
        Verdict notReady = Verdict.decide(COPPER, withVideo(fibre, "not_ready"), 80, 20);
        assertEquals(Verdict.Outcome.PARTLY_DELIVERED, notReady.outcome());
        assertEquals(java.util.List.of("video readiness not_ready after"), notReady.reasons());
        Verdict worse = Verdict.decide(withVideo(COPPER, "ready"), withVideo(fibre, "marginal"), 80, 20);
        assertEquals(Verdict.Outcome.PARTLY_DELIVERED, worse.outcome());
        assertEquals(java.util.List.of("video readiness marginal after, ready before"), worse.reasons());
        assertEquals(Verdict.Outcome.DELIVERED,
                Verdict.decide(withVideo(COPPER, "not_ready"), withVideo(fibre, "marginal"), 80, 20).outcome());
    }

    static Figures withVideo(Figures f, String video) {
        return new Figures(f.downTests(), f.upTests(), f.downMedianMbps(), f.downP10Mbps(), f.upMedianMbps(),
                f.upP10Mbps(), f.windows(), f.rttP50Ms(), f.rttP95Ms(), f.lossUp(), f.lossDown(), f.grade(), video);
    }

    @Test
    void belowSixtyPercentInEitherDirectionIsNotDelivered() {
        assertEquals(Verdict.Outcome.NOT_DELIVERED, decide(figures(47.9, 20, 12, 0, 0, "A")));
        assertEquals(Verdict.Outcome.NOT_DELIVERED, decide(figures(80, 11.9, 12, 0, 0, "A")));
    }

    @Test
    void tooFewTestsOrWindowsOrNoContractIsInsufficient() {
        Figures few = new Figures(9, 50, 80, 70, 20, 18, 1000, 6, 12, 0, 0, "A", null);
        assertEquals(Verdict.Outcome.INSUFFICIENT_DATA, decide(few));
        Figures noWindows = new Figures(50, 50, 80, 70, 20, 18, 99, 6, 12, 0, 0, "A", null);
        assertEquals(Verdict.Outcome.INSUFFICIENT_DATA, decide(noWindows));
        assertEquals(Verdict.Outcome.INSUFFICIENT_DATA,
                Verdict.decide(Figures.NONE, figures(80, 20, 12, 0, 0, "A"), 80, 20).outcome());
        assertEquals(Verdict.Outcome.INSUFFICIENT_DATA,
                Verdict.decide(COPPER, figures(80, 20, 12, 0, 0, "A"), 0, 20).outcome());
    }
}
