package io.linkprobe.agent.probe;

import io.linkprobe.agent.config.AgentConfig;
import io.linkprobe.agent.config.TargetConfig;
import io.linkprobe.agent.config.VideoSettings;
import io.linkprobe.agent.video.VideoTest;
import io.linkprobe.common.wire.Sample;
import io.linkprobe.common.wire.VideoResult;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The scheduled video-readiness test ({@link VideoTest}) towards every target that is a linkprobe
 * responder (it has a {@code throughput_port} as well as a {@code stamp_port}), or in the plan's
 * slot towards the plan's responder, budgeted like a throughput test: its own period with slip,
 * its own daily byte budget ({@code video.max_bytes_per_day}) and its bytes counted in the site's
 * ({@code throughput.max_bytes_per_day}, shared by every scheduled test), and the ladder bounded by
 * the site's contracted rate and {@code video.max_bytes_per_test}.
 */
public final class VideoProber implements Prober {
    private final VideoTest engine;
    private final Supplier<AgentConfig> settings;

    public VideoProber(EventLoopGroup group, AgentConfig config) {
        this(group, () -> config);
    }

    /** @param settings the settings in force, read as each test starts */
    public VideoProber(EventLoopGroup group, Supplier<AgentConfig> settings) {
        this.engine = new VideoTest(group);
        this.settings = settings;
    }

    @Override
    public Sample.Kind kind() {
        return Sample.Kind.VIDEO;
    }

    @Override
    public boolean measures(TargetConfig target) {
        return settings.get().video().enabled() && target.stampPort() > 0 && target.throughputPort() > 0;
    }

    @Override
    public Schedule schedule() {
        VideoSettings s = settings.get().video();
        // A STAMP reflector is never busy: the busy retry bounds are never used.
        return new Schedule.Budgeted(s.every(), s.slipFraction(), s.firstDelayMin(), s.firstDelayMax(),
                Duration.ofSeconds(30), Duration.ofMinutes(5), s.timeout(), s.maxBytesPerDay(),
                request(settings.get(), "budget", new InetSocketAddress("127.0.0.1", 1)).worstCaseBytes(),
                settings.get().throughput().maxBytesPerDay());
    }

    @Override
    public CompletionStage<ProbeResult> probe(TargetConfig target, Instant deadline) {
        AgentConfig config = settings.get();
        InetSocketAddress stamp = new InetSocketAddress(target.host(), target.stampPort());
        if (stamp.isUnresolved()) {
            VideoResult r = new VideoResult(target.name(), System.currentTimeMillis(), System.currentTimeMillis(),
                    VideoResult.Outcome.UNREACHABLE.wireName(), "cannot resolve host '" + target.host() + "'", null,
                    List.of(), null, 0, null, config.video().rateKbps(), config.video().packetSize(),
                    config.video().dscpValue(), null, null, 0, null, null, null, null, null, 0, List.of());
            return CompletableFuture.completedFuture(new ProbeResult(List.of(r), 0, false));
        }
        return engine.run(request(config, target.name(), stamp), VideoTest.Listener.NONE)
                .thenApply(r -> new ProbeResult(List.of(r), r.bytes(), false));
    }

    static VideoTest.Request request(AgentConfig config, String target, InetSocketAddress stamp) {
        return VideoTest.Request.of(target, stamp, config.video(), config.expected().downBytesPerSecond(),
                config.expected().upBytesPerSecond(), config.latency().senderOptions());
    }
}
