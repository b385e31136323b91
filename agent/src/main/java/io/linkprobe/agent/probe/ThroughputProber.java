package io.linkprobe.agent.probe;

import io.linkprobe.agent.config.AgentConfig;
import io.linkprobe.agent.config.TargetConfig;
import io.linkprobe.agent.config.ThroughputSettings;
import io.linkprobe.agent.linktest.LinkTest;
import io.linkprobe.common.throughput.client.ThroughputListener;
import io.linkprobe.common.throughput.client.ThroughputRequest;
import io.linkprobe.common.throughput.protocol.Direction;
import io.linkprobe.common.wire.Plan;
import io.linkprobe.common.wire.Sample;
import io.linkprobe.common.wire.ThroughputResult;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A scheduled throughput test with latency under load towards a target's responder, signed with
 * the site's token (the collector's embedded responder knows every site's token).
 *
 * <p>The byte cap per test defaults to 1.5 × the contracted rate × duration per direction, so a
 * test on a 2 Mbit/s copper line cannot run away with the day's budget; with no contract declared,
 * the responder's own cap applies.
 */
public final class ThroughputProber implements Prober {
    private static final Logger log = LoggerFactory.getLogger(ThroughputProber.class);
    /** What the collector's slot allows each direction besides its load (the plan's contract). */
    private static final Duration PER_DIRECTION_ALLOWANCE =
            Duration.ofMillis(Plan.Throughput.IDLE_RTT_MILLIS + Plan.Throughput.SET_UP_MILLIS);
    /** A direction is never shortened below this: shorter, the figure would be slow start, not the line. */
    static final Duration MIN_DURATION = Duration.ofSeconds(1);
    private final LinkTest engine;
    private final Supplier<AgentConfig> settings;
    /** The site's token, read when each test starts (it may be rotated while the agent runs). */
    private final Supplier<String> token;

    public ThroughputProber(EventLoopGroup group, AgentConfig config, Supplier<String> token) {
        this(group, () -> config, token);
    }

    /** @param settings the settings in force, read as each test starts */
    public ThroughputProber(EventLoopGroup group, Supplier<AgentConfig> settings, Supplier<String> token) {
        this.engine = new LinkTest(group);
        this.settings = settings;
        this.token = token;
    }

    @Override
    public Sample.Kind kind() {
        return Sample.Kind.THROUGHPUT;
    }

    @Override
    public boolean measures(TargetConfig target) {
        return target.throughputPort() > 0 && settings.get().throughput().enabled();
    }

    @Override
    public Schedule schedule() {
        AgentConfig config = settings.get();
        ThroughputSettings s = config.throughput();
        return new Schedule.Budgeted(s.every(), s.slipFraction(), s.firstDelayMin(), s.firstDelayMax(),
                s.busyRetryMin(), s.busyRetryMax(), s.timeout(), s.maxBytesPerDay(), bytesPerTest(config),
                s.maxBytesPerDay());
    }

    @Override
    public CompletionStage<ProbeResult> probe(TargetConfig target, Instant deadline) {
        return engine.run(request(target, deadline, Instant.now()), ThroughputListener.NONE)
                .thenApply(ThroughputProber::result);
    }

    /**
     * How long each direction loads the line so that a test starting at {@code now} ends by
     * {@code deadline}: the configured duration, or less when the test starts late in its slot
     * (the agent was busy, its first test warmed up the JVM), since the next site's test may start
     * at the slot's end and would be turned away as busy. Never below {@link #MIN_DURATION}.
     */
    static Duration fitted(Duration duration, int directions, Instant now, Instant deadline) {
        Duration perDirection = Duration.between(now, deadline).dividedBy(directions).minus(PER_DIRECTION_ALLOWANCE);
        if (perDirection.compareTo(duration) >= 0) {
            return duration;
        }
        return perDirection.compareTo(MIN_DURATION) > 0 ? perDirection : MIN_DURATION;
    }

    /** Every direction's bytes count against the budget, a busy answer in any direction makes the test busy. */
    static ProbeResult result(List<ThroughputResult> results) {
        long bytes = 0;
        boolean busy = false;
        for (ThroughputResult r : results) {
            bytes += r.bytes();
            busy |= r.result().equals(ThroughputResult.Outcome.BUSY.wireName());
        }
        return new ProbeResult(List.copyOf(results), bytes, busy);
    }

    /**
     * The test towards {@code target}, fitted to end by {@code deadline}: its probes under load are
     * the latency settings' at the loaded rate.
     */
    LinkTest.Request request(TargetConfig target, Instant deadline, Instant now) {
        AgentConfig config = settings.get();
        ThroughputSettings s = config.throughput();
        List<Direction> directions = Direction.parse(s.direction());
        Duration duration = fitted(s.duration(), directions.size(), now, deadline);
        if (duration.compareTo(s.duration()) < 0) {
            log.info("The throughput test to '{}' starts late in its slot: each direction loads the line for {} ms "
                    + "instead of {} ms, so that it ends by {}, when the next site's test may start",
                    target.name(), duration.toMillis(), s.duration().toMillis(), deadline);
        }
        ThroughputRequest request = ThroughputRequest.to(target.host(), target.throughputPort())
                .withTarget(target.name())
                .withDirections(directions)
                .withStreams(s.streams())
                .withLimits(duration, bytesPerTest(config))
                .withKey(config.site(), token.get())
                .withCongestionControl(s.congestionControl());
        InetSocketAddress stamp = target.stampPort() > 0 ? new InetSocketAddress(target.host(), target.stampPort()) : null;
        return LinkTest.Request.of(request, stamp != null && stamp.isUnresolved() ? null : stamp,
                config.latency().senderOptions().withMeanInterval(s.loadedProbeInterval()));
    }

    /** Bytes the next test may use per direction; 0 = the responder's limit. */
    static long bytesPerTest(AgentConfig config) {
        ThroughputSettings s = config.throughput();
        if (s.maxBytesPerTest() > 0) {
            return s.maxBytesPerTest();
        }
        double fastest = Math.max(config.expected().downBytesPerSecond(), config.expected().upBytesPerSecond());
        if (fastest <= 0) {
            return 0;
        }
        return (long) (fastest * 1.5 * s.duration().toMillis() / 1000.0);
    }
}
