package io.linkprobe.collector.sites;

import io.linkprobe.collector.metrics.SiteMeters;
import io.linkprobe.common.wire.AgentHealth;
import io.linkprobe.common.wire.AgentIdentity;
import io.linkprobe.common.wire.ConnectResult;
import io.linkprobe.common.wire.LatencyWindow;
import io.linkprobe.common.wire.Sample;
import io.linkprobe.common.wire.ThroughputResult;
import io.linkprobe.common.wire.VideoResult;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One site as the collector holds it: identity, last push, live targets, the latest result per
 * target and direction, the 24 h series for sparklines, and the site's meters. Everything in it is
 * guarded by its own monitor, which {@link SiteRegistry} holds around every use: one lock per site
 * for admission, figures and meters alike.
 */
final class Site {
    final String name;
    final SiteMeters meters;
    AgentIdentity identity;
    long lastPushMillis;
    /**
     * The last push that carried the agent's health (after a restart: the last push the archive
     * knew of; 0: none). A spool recovery the agent reports as after it is news: that health
     * would have reported it. Not simply the previous push: a batch without a health sample
     * (latency windows filed a moment before the window's health) may come first after the
     * agent's restart, and must not hide the recovery.
     */
    long lastHealthPushMillis;
    /** Set when retention forgets the site, so that a caller holding the old entry takes a new one. */
    boolean forgotten;
    final Map<String, Long> targetLastSeenMillis = new HashMap<>();
    final Map<String, LatencyWindow> latestLatency = new TreeMap<>();
    /** Keyed by direction. */
    final Map<String, ThroughputResult> latestThroughput = new TreeMap<>();
    /** Keyed by target: the latest video test that ran (result ok). */
    final Map<String, VideoResult> latestVideo = new TreeMap<>();
    /** Created with the first latency window, so that sites without any cost nothing. */
    DaySeries day;
    /** Whether {@link #day} has been rebuilt from the archive since the collector started. */
    boolean dayFromArchive;

    Site(String name, SiteMeters meters) {
        this.name = name;
        this.meters = meters;
    }

    /** Takes the latest figures from the samples of one push received at {@code nowMillis}. */
    Recorder recorder(long nowMillis) {
        return new Recorder(nowMillis);
    }

    /** One method per kind: a new kind says here whether the site's figures show it. */
    final class Recorder implements Sample.Visitor<Void> {
        private final long nowMillis;

        private Recorder(long nowMillis) {
            this.nowMillis = nowMillis;
        }

        @Override
        public Void latency(LatencyWindow w) {
            if (day == null) {
                day = new DaySeries();
            }
            day.add(w, nowMillis);
            LatencyWindow current = latestLatency.get(w.target());
            if (current == null || w.endEpochMillis() >= current.endEpochMillis()) {
                // The raw RTTs are in the archive; keeping 300 ints per target here would cost
                // megabytes across 10,000 sites for nothing the summary needs.
                latestLatency.put(w.target(), new LatencyWindow(w.target(), w.startEpochMillis(), w.endEpochMillis(),
                        w.sent(), w.received(), w.lostForward(), w.lostBackward(), w.duplicates(), w.reordered(),
                        w.rtt(), w.jitterMicros(), w.ipdvP50Micros(), w.ipdvP99Micros(), w.bytesSent(),
                        w.bytesReceived(), w.forwardDelayMicrosP50(), w.backwardDelayMicrosP50(), null));
            }
            return null;
        }

        @Override
        public Void throughput(ThroughputResult r) {
            ThroughputResult current = latestThroughput.get(r.direction());
            if (current == null || r.endEpochMillis() >= current.endEpochMillis()) {
                latestThroughput.put(r.direction(), r);
            }
            return null;
        }

        /** A test that could not run (unreachable) does not replace the last verdict; the archive has it. */
        @Override
        public Void video(VideoResult r) {
            if (!VideoResult.Outcome.OK.wireName().equals(r.result())) {
                return null;
            }
            VideoResult current = latestVideo.get(r.target());
            if (current == null || r.endEpochMillis() >= current.endEpochMillis()) {
                latestVideo.put(r.target(), r);
            }
            return null;
        }

        /** Not among the figures: the site page reads connect results from the archive. */
        @Override
        public Void connect(ConnectResult c) {
            return null;
        }

        /** Not among the figures: agent health feeds a meter (dropped results) only. */
        @Override
        public Void health(AgentHealth h) {
            return null;
        }
    }
}
