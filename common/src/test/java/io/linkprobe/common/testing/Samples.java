package io.linkprobe.common.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.linkprobe.common.wire.AgentHealth;
import io.linkprobe.common.wire.AgentIdentity;
import io.linkprobe.common.wire.ConnectResult;
import io.linkprobe.common.wire.Json;
import io.linkprobe.common.wire.LatencyWindow;
import io.linkprobe.common.wire.PushBatch;
import io.linkprobe.common.wire.Sample;
import io.linkprobe.common.wire.ThroughputResult;
import io.linkprobe.common.wire.VideoResult;
import java.util.List;
import java.util.Map;

/** Test data: realistic pushes built from the wire records. */
public final class Samples {
    private Samples() {}

    public static AgentIdentity agent(String site) {
        return new AgentIdentity(site, "agent-" + site, "boot-1", "0.1.0",
                Map.of("region", "yorkshire", "link", "fttp"),
                new AgentIdentity.Contract(12_500_000, 2_500_000));
    }

    /** A 60 s window ending at {@code endMillis}, with the given RTTs (µs) and per-direction loss. */
    public static LatencyWindow window(String target, long endMillis, int[] rttMicros, long lostUp, long lostDown) {
        int[] sorted = rttMicros.clone();
        java.util.Arrays.sort(sorted);
        LatencyWindow.RttSummary rtt = sorted.length == 0 ? null : new LatencyWindow.RttSummary(sorted[0],
                sorted[sorted.length / 2], sorted[sorted.length * 9 / 10], sorted[sorted.length - 1],
                sorted[sorted.length - 1], java.util.Arrays.stream(sorted).average().orElse(0));
        long received = rttMicros.length;
        return new LatencyWindow(target, endMillis - 60_000, endMillis, received + lostUp + lostDown, received,
                lostUp, lostDown, 0, Math.min(1, received), rtt, 250.0, null, null, 44 * (received + lostUp + lostDown),
                44 * received, null, null, rttMicros);
    }

    /** An 8 s test whose steady rate (warm-up excluded) is {@code bytesPerSecond}, its mean 90 % of that. */
    public static ThroughputResult throughput(String target, long endMillis, String direction, double bytesPerSecond) {
        return new ThroughputResult(target, endMillis - 10_000, endMillis, direction, "ok", null, 4,
                (long) (bytesPerSecond * 0.9 * 8), 8.0, bytesPerSecond, bytesPerSecond * 0.9, true, 100, List.of(),
                new ThroughputResult.TcpInfo(9_000L, 12, 40L, "cubic"),
                new ThroughputResult.LoadedLatency(9_000, 49_000, 80_000, 40_000, 1224, "C", 80, 80));
    }

    public static ConnectResult connect(String target, long endMillis, double micros) {
        return new ConnectResult(target, "198.18.0.1", 443, endMillis, true, micros, null);
    }

    /**
     * A video test that ran: one call of 1.2 Mbit/s each way for 20 s with the given verdict, loss
     * up / down (%) and jitter (µs) in both directions, then a ladder up to {@code calls}.
     */
    public static VideoResult video(String target, long endMillis, String verdict, int calls, double lossUpPercent,
            double lossDownPercent, double jitterMicros) {
        VideoResult.Direction up = new VideoResult.Direction(2500, Math.round(25 * lossUpPercent), lossUpPercent,
                Math.min(2, Math.round(25 * lossUpPercent)), 0,
                1.0, jitterMicros, 4 * jitterMicros, 0, 150_000 * (1 - lossUpPercent / 100), 4.2);
        VideoResult.Direction down = new VideoResult.Direction(2500, Math.round(25 * lossDownPercent), lossDownPercent,
                Math.min(1, Math.round(25 * lossDownPercent)),
                0, 1.0, jitterMicros, 4 * jitterMicros, 0, 150_000 * (1 - lossDownPercent / 100), 4.3);
        List<VideoResult.Step> ladder = new java.util.ArrayList<>();
        ladder.add(new VideoResult.Step(1, verdict, List.of(), 20, 4.2, Math.max(lossUpPercent, lossDownPercent),
                jitterMicros, 30_000.0, 6_000_000));
        for (int n : new int[] {2, 3, 4, 6, 8}) {
            if (n <= calls) {
                ladder.add(new VideoResult.Step(n, "ready", List.of(), 5, 4.3, 0, jitterMicros, 30_000.0, n * 1_500_000L));
            }
        }
        boolean notReady = "not_ready".equals(verdict);
        return new VideoResult(target, endMillis - 45_000, endMillis, "ok", null, verdict,
                notReady ? List.of("loss_up") : List.of(), notReady ? "loss up " + lossUpPercent + " % ≥ 1.00 %" : null,
                calls, calls >= 8 ? "max_calls" : "verdict", 1200, 1200, 46, 46, "kernel", 20.0, 4.2, 21_000.0, 30_000.0, up, down,
                6_000_000 + 1_500_000L * ladder.stream().mapToInt(VideoResult.Step::calls).skip(1).sum(), ladder);
    }

    public static AgentHealth health(long endMillis, long spoolDroppedTotal) {
        return new AgentHealth(endMillis, 3600, 1024, 0, spoolDroppedTotal, 0);
    }

    public static PushBatch batch(String site, long sequence, Sample... samples) {
        return new PushBatch(agent(site), sequence, List.of(samples));
    }

    public static String json(PushBatch batch) {
        try {
            return Json.mapper().writeValueAsString(batch);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
