package io.linkprobe.collector.metrics;

import io.linkprobe.collector.metrics.LinkprobeMeter.Tag;
import io.linkprobe.common.cli.BuildInfo;
import io.linkprobe.common.wire.AgentHealth;
import io.linkprobe.common.wire.AgentIdentity;
import io.linkprobe.common.wire.ConnectResult;
import io.linkprobe.common.wire.LatencyWindow;
import io.linkprobe.common.wire.Sample;
import io.linkprobe.common.wire.ThroughputResult;
import io.linkprobe.common.wire.VideoResult;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Turns stored results into the meters of DESIGN.md's table, on the meters of one site
 * ({@link SiteMeters}, held by the collector's site registry, which holds the site's lock around
 * every call). Called once per newly stored batch (never for a replayed one), so counters count
 * each probe once. Latency windows feed every raw RTT into the histogram, so its buckets are exact,
 * not re-binned percentiles.
 *
 * <p>Directions: forward loss (site → responder) is {@code up}, backward loss is {@code down}.
 */
public final class LinkAggregator {
    static final String UP = "up";
    static final String DOWN = "down";
    /** {@code probe} values of {@code linkprobe_probe_success}. */
    static final String PROBE_STAMP = "stamp";
    static final String PROBE_CONNECT = "tcp_connect";

    private final MeterRegistry registry;
    private final Timer sampleDelay;

    public LinkAggregator(MeterRegistry registry, Timer sampleDelay) {
        this.registry = registry;
        this.sampleDelay = sampleDelay;
    }

    /** A new, empty set of meters for {@code site}; nothing is published until it is used. */
    public SiteMeters meters(String site) {
        return new SiteMeters(site, registry);
    }

    /**
     * Aggregates a newly stored batch, received at {@code ingestMillis}, into the site's meters.
     *
     * @param previousPushMillis the site's last push that carried the agent's health before this
     *     one (after a restart, its last push known to the archive), 0 if none: an agent's spool
     *     recovery after it is new even if this collector has not seen the agent's running total
     *     before
     */
    public void apply(SiteMeters m, AgentIdentity agent, Iterable<Sample> samples, long ingestMillis,
            long previousPushMillis) {
        presence(m, agent, ingestMillis);
        Recorder recorder = new Recorder(m, agent.agentId(), previousPushMillis);
        for (Sample sample : samples) {
            sampleDelay.record(Math.max(0, ingestMillis - sample.endEpochMillis()), TimeUnit.MILLISECONDS);
            sample.accept(recorder);
        }
    }

    /**
     * Publishes the presence series of a push at {@code pushMillis}: last push time, site info, and
     * the contracted rates. Alone, for a site known from the archive after a restart.
     */
    public void presence(SiteMeters m, AgentIdentity agent, long pushMillis) {
        Map<String, String> labels = agent.labels();
        m.presence(pushMillis, labels.getOrDefault(Tag.REGION, ""), labels.getOrDefault(Tag.LINK, ""),
                agent.version() == null ? "" : agent.version());
        m.build(orUnknown(agent.version()), orUnknown(agent.revision()), orUnknown(agent.javaVersion()));
        AgentIdentity.Contract contract = agent.expected();
        if (contract != null) {
            if (contract.downBytesPerSecond() > 0) {
                m.gauge(LinkprobeMeter.EXPECTED_THROUGHPUT, contract.downBytesPerSecond(), pushMillis, DOWN);
            }
            if (contract.upBytesPerSecond() > 0) {
                m.gauge(LinkprobeMeter.EXPECTED_THROUGHPUT, contract.upBytesPerSecond(), pushMillis, UP);
            }
        }
    }

    private static String orUnknown(String value) {
        return value == null || value.isEmpty() ? BuildInfo.UNKNOWN : value;
    }

    /** One sample's meters, one method per kind, for one site under its lock. */
    private static final class Recorder implements Sample.Visitor<Void> {
        private final SiteMeters m;
        private final String agentId;
        private final long previousPushMillis;

        Recorder(SiteMeters m, String agentId, long previousPushMillis) {
            this.m = m;
            this.agentId = agentId;
            this.previousPushMillis = previousPushMillis;
        }

        @Override
        public Void latency(LatencyWindow w) {
            String target = w.target();
            Timer rtt = m.timer(LinkprobeMeter.RTT, target);
            if (w.rttMicros() != null) {
                for (int micros : w.rttMicros()) {
                    rtt.record(micros, TimeUnit.MICROSECONDS);
                }
            }
            m.counter(LinkprobeMeter.PACKETS_SENT, target).increment(w.sent());
            if (w.sent() > 0) {
                m.gauge(LinkprobeMeter.PROBE_SUCCESS, w.received() > 0 ? 1 : 0, w.endEpochMillis(), target, PROBE_STAMP);
            }
            m.counter(LinkprobeMeter.PACKETS_LOST, target, UP).increment(w.lostForward());
            m.counter(LinkprobeMeter.PACKETS_LOST, target, DOWN).increment(w.lostBackward());
            m.counter(LinkprobeMeter.PACKETS_DUPLICATED, target).increment(w.duplicates());
            m.counter(LinkprobeMeter.PACKETS_REORDERED, target).increment(w.reordered());
            m.gauge(LinkprobeMeter.JITTER, w.jitterMicros() / 1e6, w.endEpochMillis(), target);
            if (w.rtt() != null) {
                m.gauge(LinkprobeMeter.RTT_MIN, w.rtt().min() / 1e6, w.endEpochMillis(), target);
            }
            return null;
        }

        @Override
        public Void throughput(ThroughputResult r) {
            String target = r.target();
            String direction = r.direction();
            m.counter(LinkprobeMeter.THROUGHPUT_TESTS, target, direction, r.result()).increment();
            m.counter(LinkprobeMeter.PROBE_BYTES, target, direction).increment(r.bytes());
            if (r.tcp() != null) {
                m.counter(LinkprobeMeter.TCP_RETRANSMITS, target, direction).increment(r.tcp().retransmits());
            }
            if (ThroughputResult.Outcome.OK.wireName().equals(r.result())) {
                m.gauge(LinkprobeMeter.THROUGHPUT, r.steadyBytesPerSecond(), r.endEpochMillis(), target, direction);
                m.gauge(LinkprobeMeter.THROUGHPUT_LAST_TEST, r.endEpochMillis() / 1000.0, r.endEpochMillis(), target,
                        direction);
                if (r.loaded() != null) {
                    m.gauge(LinkprobeMeter.LOADED_RTT, r.loaded().loadedRttP50Micros() / 1e6, r.endEpochMillis(),
                            target, direction);
                    m.gauge(LinkprobeMeter.BUFFERBLOAT, r.loaded().bufferbloatMicros() / 1e6, r.endEpochMillis(),
                            target, direction);
                }
            }
            return null;
        }

        @Override
        public Void connect(ConnectResult c) {
            m.gauge(LinkprobeMeter.PROBE_SUCCESS, c.success() ? 1 : 0, c.endEpochMillis(), c.target(), PROBE_CONNECT);
            if (c.success() && c.connectMicros() != null) {
                m.timer(LinkprobeMeter.TCP_CONNECT, c.target())
                        .record(Math.round(c.connectMicros() * 1000), TimeUnit.NANOSECONDS);
            }
            return null;
        }

        @Override
        public Void video(VideoResult r) {
            String target = r.target();
            m.counter(LinkprobeMeter.VIDEO_TESTS, target, r.result()).increment();
            m.counter(LinkprobeMeter.VIDEO_BYTES, target).increment(r.bytes());
            VideoResult.Verdict verdict = VideoResult.Verdict.ofWireName(r.verdict());
            if (!VideoResult.Outcome.OK.wireName().equals(r.result()) || verdict == null) {
                return null;
            }
            long at = r.endEpochMillis();
            m.gauge(LinkprobeMeter.VIDEO_VERDICT, verdict.gaugeValue(), at, target);
            m.gauge(LinkprobeMeter.VIDEO_CALLS, r.calls(), at, target);
            if (r.mos() != null) {
                m.gauge(LinkprobeMeter.VIDEO_MOS, r.mos(), at, target);
            }
            if (r.up() != null && r.down() != null) {
                m.gauge(LinkprobeMeter.VIDEO_LOSS, r.up().lossPercent() / 100, at, target, UP);
                m.gauge(LinkprobeMeter.VIDEO_LOSS, r.down().lossPercent() / 100, at, target, DOWN);
                m.gauge(LinkprobeMeter.VIDEO_JITTER, r.up().jitterMicros() / 1e6, at, target, UP);
                m.gauge(LinkprobeMeter.VIDEO_JITTER, r.down().jitterMicros() / 1e6, at, target, DOWN);
            }
            return null;
        }

        @Override
        public Void health(AgentHealth h) {
            total(LinkprobeMeter.AGENT_SPOOL_DROPPED, h.spoolDroppedTotal(), false);
            if (h.spoolRecoveredTotal() != null) {
                // A recovery after the site's previous push is new, whether or not this collector
                // (restarted meanwhile) knows the agent's running total yet.
                boolean since = h.spoolRecoveredAtMillis() != null && h.spoolRecoveredAtMillis() > previousPushMillis;
                total(LinkprobeMeter.AGENT_SPOOL_RECOVERED, h.spoolRecoveredTotal(), since);
            }
            if (h.implausibleDroppedTotal() != null) {
                total(LinkprobeMeter.AGENT_IMPLAUSIBLE_DROPPED, h.implausibleDroppedTotal(), false);
            }
            return null;
        }

        private void total(LinkprobeMeter meter, long total, boolean newSincePreviousPush) {
            m.counter(meter).increment(m.agentTotalIncrement(meter, agentId, total, newSincePreviousPush));
        }
    }
}
