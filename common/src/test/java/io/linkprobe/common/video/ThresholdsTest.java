package io.linkprobe.common.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.common.wire.VideoResult;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThresholdsTest {
    private static final Thresholds T = Thresholds.DEFAULTS;

    private static VideoResult.Direction dir(double lossPercent, double jitterMs, double deliveredKbps, double mos) {
        return new VideoResult.Direction(2500, Math.round(lossPercent * 25), lossPercent, 0, 0, 1, jitterMs * 1000, 0, 0,
                deliveredKbps * 1000 / 8, mos);
    }

    private static CallFigures call(double lossUp, double lossDown, double jitterMs, double rttP95Ms, double mos) {
        return new CallFigures(dir(lossUp, jitterMs, 1200, mos), dir(lossDown, jitterMs, 1200, mos), rttP95Ms * 500,
                rttP95Ms * 900, rttP95Ms * 1000, mos, 3_000_000, 3_000_000);
    }

    @Test
    void aCallWithinEveryTargetIsReady() {
        Thresholds.Judgement j = T.judge(call(0.2, 0.1, 5, 40, 4.3));
        assertEquals(VideoResult.Verdict.READY, j.verdict());
        assertEquals(List.of(), j.failed());
        assertNull(j.reason());
    }

    @Test
    void missingOnlyATargetIsMarginal() {
        Thresholds.Judgement j = T.judge(call(0, 0, 5, 120, 4.3));
        assertEquals(VideoResult.Verdict.MARGINAL, j.verdict());
        assertEquals(List.of("rtt"), j.failed());
        assertTrue(j.reason().contains("RTT p95 120 ms ≥ 100 ms target"), j.reason());

        assertEquals(List.of("mos_target"), T.judge(call(0, 0, 5, 40, 3.9)).failed());
    }

    @Test
    void failingALimitIsNotReadyAndNamesEveryLimitFailedWithItsFigure() {
        Thresholds.Judgement j = T.judge(call(1.0, 2.5, 31, 320, 3.5));
        assertEquals(VideoResult.Verdict.NOT_READY, j.verdict());
        assertEquals(List.of("loss_up", "loss_down", "jitter_up", "jitter_down", "one_way_delay", "mos"), j.failed());
        assertTrue(j.reason().startsWith("loss up 1.00 % ≥ 1.00 %, loss down 2.50 % ≥ 1.00 %"), j.reason());
        assertTrue(j.reason().contains("one-way delay 160 ms > 150 ms"), j.reason());
    }

    @Test
    void aCallThatDeliversLessThanNearMesRatesIsNotReady() {
        CallFigures slow = new CallFigures(dir(0, 1, 650, 4.3), dir(0, 1, 1000, 4.3), 10_000.0, 20_000.0, 25_000.0, 4.3, 0, 0);
        Thresholds.Judgement j = T.judge(slow);
        assertEquals(List.of("rate_down", "rate_up"), j.failed());
        assertTrue(j.reason().contains("rate down 1000 kbit/s < 1100 kbit/s"), j.reason());
    }

    @Test
    void nothingBackIsNotReady() {
        CallFigures none = new CallFigures(dir(100, 0, 0, 1), dir(0, 0, 0, 1), null, null, null, 1, 3_000_000, 0);
        Thresholds.Judgement j = T.judge(none);
        assertEquals(VideoResult.Verdict.NOT_READY, j.verdict());
        assertTrue(j.failed().contains("one_way_delay") && j.reason().contains("no packet came back"), j.reason());
    }
}
