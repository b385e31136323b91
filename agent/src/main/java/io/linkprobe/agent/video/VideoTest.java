package io.linkprobe.agent.video;

import io.linkprobe.agent.config.VideoSettings;
import io.linkprobe.common.stamp.ProbeSchedule;
import io.linkprobe.common.stamp.SenderOptions;
import io.linkprobe.common.video.AudioAssumptions;
import io.linkprobe.common.video.CallFigures;
import io.linkprobe.common.video.Thresholds;
import io.linkprobe.common.wire.VideoResult;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The video-readiness test, shared by the agent's schedule and the one-shot CLI: one call alone for
 * {@code duration}, judged ({@link Thresholds}); then, while the verdict holds, the ladder of
 * concurrent calls (1, 2, 3, 4, 6, 8 … up to {@code maxCalls}), each further step for
 * {@code stepDuration}, a pause between steps to let the queues drain. The ladder also stops before
 * a step whose calls together exceed the site's contracted rate in either direction, or whose bytes
 * would take the test past its byte cap. The result: "this site carries N concurrent calls".
 */
public final class VideoTest {
    /** Between ladder steps, so the next step does not start in the previous one's queue. */
    static final Duration PAUSE = Duration.ofSeconds(1);

    /**
     * One test.
     *
     * @param stamp the reflector
     * @param contractDownBitsPerSecond the site's contracted rate, 0 = unknown (no bound)
     * @param maxBytes cap on the whole test's payload bytes (both directions), 0 = none
     * @param senderOptions base options of each call's sender (auth, clock); interval, schedule,
     *     size and timeout are the call's
     */
    public record Request(String target, InetSocketAddress stamp, int rateKbps, int packetSize, Duration duration,
            Duration stepDuration, int maxCalls, int dscp, double contractDownBitsPerSecond,
            double contractUpBitsPerSecond, long maxBytes, Thresholds thresholds, AudioAssumptions audio,
            SenderOptions senderOptions) {

        public Request {
            senderOptions = senderOptions
                    .withMeanInterval(Duration.ofNanos(VideoSettings.intervalNanos(rateKbps, packetSize)))
                    .withSchedule(ProbeSchedule.PERIODIC)
                    .withPacketSize(packetSize)
                    .withTimeout(VideoSettings.PACKET_TIMEOUT);
        }

        /** The scheduled test towards {@code stamp} with the site's settings and contract (bytes/s). */
        public static Request of(String target, InetSocketAddress stamp, VideoSettings s, double contractDownBytesPerSecond,
                double contractUpBytesPerSecond, SenderOptions base) {
            return new Request(target, stamp, s.rateKbps(), s.packetSize(), s.duration(), s.stepDuration(), s.maxCalls(),
                    s.dscpValue(), contractDownBytesPerSecond * 8, contractUpBytesPerSecond * 8, s.maxBytesPerTest(),
                    s.thresholdValues(), s.audioAssumptions(), base);
        }

        long intervalNanos() {
            return VideoSettings.intervalNanos(rateKbps, packetSize);
        }

        long packets(Duration d) {
            return Math.max(1, d.toNanos() / intervalNanos());
        }

        /** Payload bytes of a step of {@code calls} calls, both directions, if nothing is lost. */
        long stepBytes(int calls, Duration d) {
            return 2L * calls * packets(d) * packetSize;
        }

        /** The most bytes the whole ladder can use: what the daily budget is checked against. */
        public long worstCaseBytes() {
            long total = 0;
            for (int calls : VideoSettings.ladder(maxCalls)) {
                if (limitBefore(calls, total) != null) {
                    break;
                }
                total += stepBytes(calls, calls == 1 ? duration : stepDuration);
            }
            return total;
        }

        /** What forbids a step of {@code calls} calls after {@code usedBytes}, or null. */
        VideoResult.CallsLimit limitBefore(int calls, long usedBytes) {
            double bits = calls * rateKbps * 1000.0;
            if (calls > 1 && ((contractDownBitsPerSecond > 0 && bits > contractDownBitsPerSecond)
                    || (contractUpBitsPerSecond > 0 && bits > contractUpBitsPerSecond))) {
                return VideoResult.CallsLimit.CONTRACT;
            }
            if (calls > 1 && maxBytes > 0 && usedBytes + stepBytes(calls, stepDuration) > maxBytes) {
                return VideoResult.CallsLimit.BUDGET;
            }
            return null;
        }
    }

    /** What the one-shot CLI shows while the test runs. */
    public interface Listener {
        Listener NONE = (calls, d) -> { };

        void stepStarted(int calls, Duration duration);
    }

    private final EventLoopGroup group;

    public VideoTest(EventLoopGroup group) {
        this.group = group;
    }

    /** Runs the test; a reflector that never answers gives an {@code unreachable} result, not an error. */
    public CompletionStage<VideoResult> run(Request request, Listener listener) {
        long start = System.currentTimeMillis();
        Ladder ladder = new Ladder(request, listener, start);
        return ladder.next(0).exceptionally(e -> failure(request, start, e));
    }

    /** The ladder's state as it climbs; each step schedules the next. */
    private final class Ladder {
        private final Request request;
        private final Listener listener;
        private final long start;
        private final List<Integer> steps;
        private final List<VideoResult.Step> done = new ArrayList<>();
        private CallFigures single;
        private Thresholds.Judgement singleJudgement;
        private String timestamps;
        private Integer replyDscp;
        private long bytes;

        Ladder(Request request, Listener listener, long start) {
            this.request = request;
            this.listener = listener;
            this.start = start;
            this.steps = VideoSettings.ladder(request.maxCalls());
        }

        CompletionStage<VideoResult> next(int index) {
            if (index == steps.size()) {
                return finished(VideoResult.CallsLimit.MAX_CALLS);
            }
            int calls = steps.get(index);
            VideoResult.CallsLimit limit = request.limitBefore(calls, bytes);
            if (limit != null) {
                return finished(limit);
            }
            Duration d = calls == 1 ? request.duration() : request.stepDuration();
            listener.stepStarted(calls, d);
            long packets = request.packets(d);
            return CallStep.run(group, request, calls, packets).thenCompose(outcome -> {
                List<CallFigures> figures = outcome.figures();
                VideoResult.Step step = step(calls, packets, figures);
                done.add(step);
                if (calls == 1) {
                    single = figures.get(0);
                    timestamps = outcome.timestamps();
                    replyDscp = outcome.replyDscp() < 0 ? null : outcome.replyDscp();
                    singleJudgement = request.thresholds().judge(single);
                    if (single.rttP50Micros() == null) {
                        return CompletableFuture.completedFuture(notAnswered(request, start, bytes));
                    }
                }
                if (VideoResult.Verdict.NOT_READY.wireName().equals(step.verdict())) {
                    return finished(VideoResult.CallsLimit.VERDICT);
                }
                if (index + 1 == steps.size()) {
                    return finished(VideoResult.CallsLimit.MAX_CALLS);
                }
                // Off the event loops: opening the next step's sockets waits for them to bind.
                return CompletableFuture.supplyAsync(() -> index + 1,
                        CompletableFuture.delayedExecutor(PAUSE.toMillis(), TimeUnit.MILLISECONDS))
                        .thenCompose(this::next);
            });
        }

        private VideoResult.Step step(int calls, long packets, List<CallFigures> figures) {
            VideoResult.Verdict worst = VideoResult.Verdict.READY;
            List<String> failed = new ArrayList<>();
            double mos = Double.MAX_VALUE;
            double loss = 0;
            double jitter = 0;
            Double rtt = null;
            long stepBytes = 0;
            for (CallFigures f : figures) {
                Thresholds.Judgement j = request.thresholds().judge(f);
                if (j.verdict().gaugeValue() < worst.gaugeValue()) {
                    worst = j.verdict();
                }
                for (String name : j.failed()) {
                    if (!failed.contains(name)) {
                        failed.add(name);
                    }
                }
                mos = Math.min(mos, f.mos());
                loss = Math.max(loss, f.worstLossPercent());
                jitter = Math.max(jitter, f.worstJitterMicros());
                if (f.rttP95Micros() != null) {
                    rtt = rtt == null ? f.rttP95Micros() : Math.max(rtt, f.rttP95Micros());
                }
                stepBytes += f.bytes();
            }
            bytes += stepBytes;
            return new VideoResult.Step(calls, worst.wireName(), failed, packets * request.intervalNanos() / 1e9, mos,
                    loss, jitter, rtt, stepBytes);
        }

        private CompletionStage<VideoResult> finished(VideoResult.CallsLimit limit) {
            int carried = 0;
            for (VideoResult.Step s : done) {
                if (VideoResult.Verdict.NOT_READY.wireName().equals(s.verdict())) {
                    break;
                }
                carried = s.calls();
            }
            CallFigures f = single;
            return CompletableFuture.completedFuture(new VideoResult(request.target(), start, System.currentTimeMillis(),
                    VideoResult.Outcome.OK.wireName(), null, singleJudgement.verdict().wireName(),
                    singleJudgement.failed(), singleJudgement.reason(), carried, limit.wireName(), request.rateKbps(),
                    request.packetSize(), request.dscp(), replyDscp, timestamps, done.get(0).seconds(), f.mos(), f.rttP50Micros(),
                    f.rttP95Micros(), f.up(), f.down(), bytes, done));
        }
    }

    /** Nothing came back from the reflector: the test says so instead of judging a call. */
    private static VideoResult notAnswered(Request request, long start, long bytes) {
        String message = "no STAMP replies from " + request.stamp().getHostString() + ":" + request.stamp().getPort()
                + "; check that a reflector runs there and that UDP " + request.stamp().getPort() + " is open on the path";
        return notRun(request, start, VideoResult.Outcome.UNREACHABLE, message, bytes);
    }

    private static VideoResult failure(Request request, long start, Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return notRun(request, start, VideoResult.Outcome.ERROR, "the video test failed: " + why, 0);
    }

    private static VideoResult notRun(Request request, long start, VideoResult.Outcome outcome, String message,
            long bytes) {
        return new VideoResult(request.target(), start, System.currentTimeMillis(), outcome.wireName(), message, null,
                List.of(), null, 0, null, request.rateKbps(), request.packetSize(), request.dscp(), null, null, 0, null,
                null, null, null, null, bytes, List.of());
    }
}
