package io.linkprobe.agent.probe;

import io.linkprobe.agent.config.AgentConfig;
import io.linkprobe.agent.config.TargetConfig;
import io.linkprobe.agent.config.ThroughputSettings;
import io.linkprobe.agent.linktest.LinkTest;
import io.linkprobe.common.throughput.client.ThroughputListener;
import io.linkprobe.common.throughput.client.ThroughputRequest;
import io.linkprobe.common.throughput.protocol.Direction;
import io.linkprobe.common.wire.Sample;
import io.linkprobe.common.wire.ThroughputResult;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * A scheduled throughput test with latency under load towards a target's responder, signed with
 * the site's token (the collector's embedded responder knows every site's token).
 *
 * <p>The byte cap per test defaults to 1.5 × the contracted rate × duration per direction, so a
 * test on a 2 Mbit/s copper line cannot run away with the day's budget; with no contract declared,
 * the responder's own cap applies.
 */
public final class ThroughputProber implements Prober {
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
        return engine.run(request(target), ThroughputListener.NONE).thenApply(ThroughputProber::result);
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

    /** The test towards {@code target}: its probes under load are the latency settings' at the loaded rate. */
    LinkTest.Request request(TargetConfig target) {
        AgentConfig config = settings.get();
        ThroughputSettings s = config.throughput();
        ThroughputRequest request = ThroughputRequest.to(target.host(), target.throughputPort())
                .withTarget(target.name())
                .withDirections(Direction.parse(s.direction()))
                .withStreams(s.streams())
                .withLimits(s.duration(), bytesPerTest(config))
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
