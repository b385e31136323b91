package io.linkprobe.collector.sites;

import io.linkprobe.common.wire.AgentIdentity;
import io.linkprobe.common.wire.LatencyWindow;
import io.linkprobe.common.wire.ThroughputResult;
import io.linkprobe.common.wire.VideoResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Builds {@link SiteView}s from {@link Site}, converting µs to seconds on the way. */
final class SiteViews {
    private SiteViews() {}

    static SiteView of(Site s, long nowMillis, Duration seriesTtl) {
        SiteHealth.Verdict verdict = SiteHealth.of(s, nowMillis);
        AgentIdentity id = s.identity;
        AgentIdentity.Contract contract = id.expected();
        List<SiteView.Latency> latency = new ArrayList<>();
        for (LatencyWindow w : s.latestLatency.values()) {
            latency.add(new SiteView.Latency(w.target(), SiteRegistry.iso(w.endEpochMillis()), w.endEpochMillis(),
                    w.sent(), w.received(), w.lostForward(), w.lostBackward(),
                    w.sent() == 0 ? 0 : (double) w.lost() / w.sent(),
                    w.rtt() == null ? null : w.rtt().min() / 1e6,
                    w.rtt() == null ? null : w.rtt().p50() / 1e6,
                    w.rtt() == null ? null : w.rtt().p99() / 1e6,
                    w.jitterMicros() / 1e6));
        }
        List<SiteView.Throughput> throughput = new ArrayList<>();
        for (ThroughputResult r : s.latestThroughput.values()) {
            Double expected = contract == null ? null
                    : positive("down".equals(r.direction()) ? contract.downBytesPerSecond() : contract.upBytesPerSecond());
            throughput.add(new SiteView.Throughput(r.target(), r.direction(), SiteRegistry.iso(r.endEpochMillis()),
                    r.endEpochMillis(), r.result(), r.steadyBytesPerSecond(), expected,
                    r.loaded() == null ? null : r.loaded().loadedRttP50Micros() / 1e6,
                    r.loaded() == null ? null : r.loaded().bufferbloatMicros() / 1e6,
                    r.loaded() == null ? null : r.loaded().grade()));
        }
        List<SiteView.Video> video = new ArrayList<>();
        for (VideoResult r : s.latestVideo.values()) {
            video.add(new SiteView.Video(r.target(), SiteRegistry.iso(r.endEpochMillis()), r.endEpochMillis(), r.verdict(),
                    r.reason(), r.calls(), r.callsLimit(), r.mos() == null ? 1.0 : r.mos(),
                    r.up().lossPercent() / 100, r.down().lossPercent() / 100, r.up().jitterMicros() / 1e6,
                    r.down().jitterMicros() / 1e6, r.rttP95Micros() == null ? null : r.rttP95Micros() / 1e6, r.dscp()));
        }
        return new SiteView(s.name, verdict.health(), verdict.reason(), SiteRegistry.iso(s.lastPushMillis),
                s.lastPushMillis, id.agentId(), id.version(), id.labels(),
                contract == null ? null : positive(contract.downBytesPerSecond()),
                contract == null ? null : positive(contract.upBytesPerSecond()),
                nowMillis - s.lastPushMillis > seriesTtl.toMillis(), latency, throughput, video);
    }

    private static Double positive(double v) {
        return v > 0 ? v : null;
    }
}
