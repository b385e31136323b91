package io.linkprobe.agent.probe;

import io.linkprobe.agent.config.AgentConfig;
import io.linkprobe.agent.config.ThroughputSettings;
import io.linkprobe.agent.config.TargetConfig;
import io.linkprobe.agent.linktest.LinkTest;
import io.linkprobe.common.throughput.Direction;
import io.linkprobe.common.throughput.ThroughputListener;
import io.linkprobe.common.throughput.ThroughputRequest;
import io.linkprobe.common.wire.AgentHealth;
import io.linkprobe.common.wire.ConnectResult;
import io.linkprobe.common.wire.LatencyWindow;
import io.linkprobe.common.wire.Sample;
import io.linkprobe.common.wire.ThroughputResult;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

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
    private final AgentConfig config;
    private final String token;

    public ThroughputProber(EventLoopGroup group, AgentConfig config, String token) {
        this.engine = new LinkTest(group);
        this.config = config;
        this.token = token;
    }

    @Override
    public CompletionStage<List<Sample>> probe(TargetConfig target, Instant deadline) {
        return engine.run(request(target), ThroughputListener.NONE).thenApply(results -> new ArrayList<Sample>(results));
    }

    /** The test towards {@code target}: its probes under load are the latency settings' at the loaded rate. */
    LinkTest.Request request(TargetConfig target) {
        ThroughputSettings s = config.throughput();
        ThroughputRequest request = ThroughputRequest.to(target.host(), target.throughputPort())
                .withTarget(target.name())
                .withDirections(Direction.parse(s.direction()))
                .withStreams(s.streams())
                .withLimits(s.duration(), bytesPerTest())
                .withKey(config.site(), token)
                .withCongestionControl(s.congestionControl());
        InetSocketAddress stamp = target.stampPort() > 0 ? new InetSocketAddress(target.host(), target.stampPort()) : null;
        return LinkTest.Request.of(request, stamp != null && stamp.isUnresolved() ? null : stamp,
                config.latency().senderOptions().withMeanInterval(s.loadedProbeInterval()));
    }

    /** Bytes the next test may use per direction; 0 = the responder's limit. */
    public long bytesPerTest() {
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

    /** Bytes a finished test used, for the daily budget. */
    public static long bytesUsed(List<Sample> samples) {
        return samples.stream().mapToLong(s -> s.accept(BUDGET_BYTES)).sum();
    }

    /** Whether the responder turned the test away as busy (then it is tried again sooner). */
    public static boolean refusedBusy(List<Sample> samples) {
        return samples.stream().anyMatch(s -> s.accept(BUSY));
    }

    /** What a sample counts against the daily byte budget: STAMP's few kbit/s are not budgeted. */
    private static final Sample.Visitor<Long> BUDGET_BYTES = new Sample.Visitor<>() {
        @Override
        public Long latency(LatencyWindow window) {
            return 0L;
        }

        @Override
        public Long throughput(ThroughputResult result) {
            return result.bytes();
        }

        @Override
        public Long connect(ConnectResult result) {
            return 0L;
        }

        @Override
        public Long health(AgentHealth health) {
            return 0L;
        }
    };

    private static final Sample.Visitor<Boolean> BUSY = new Sample.Visitor<>() {
        @Override
        public Boolean latency(LatencyWindow window) {
            return false;
        }

        @Override
        public Boolean throughput(ThroughputResult result) {
            return ThroughputResult.Outcome.BUSY.wireName().equals(result.result());
        }

        @Override
        public Boolean connect(ConnectResult result) {
            return false;
        }

        @Override
        public Boolean health(AgentHealth health) {
            return false;
        }
    };
}
