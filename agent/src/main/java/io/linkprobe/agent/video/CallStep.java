package io.linkprobe.agent.video;

import io.linkprobe.common.stamp.StampSender;
import io.linkprobe.common.video.CallFigures;
import io.linkprobe.common.video.CallTrace;
import io.linkprobe.common.wire.LatencyWindow;
import io.netty.channel.EventLoopGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One step of the ladder: {@code calls} call-shaped STAMP sessions at once, each on its own socket
 * (so the reflector keeps a session, and a sequence counter, per call), each started at a random
 * moment within the first packet gap so that the calls' packets interleave as independent calls'
 * would. Completes, once every packet of every call is decided, with each call's figures.
 */
final class CallStep {
    /** SSID of the first call; the reflector keys sessions on address, port and SSID. */
    static final int FIRST_SSID = 100;

    private CallStep() {}

    /**
     * What one step measured: each call's figures, the first call's timestamp source and the DSCP
     * its replies arrived with (-1 = unknown).
     */
    record Outcome(List<CallFigures> figures, String timestamps, int replyDscp) {}

    static CompletionStage<Outcome> run(EventLoopGroup group, VideoTest.Request request, int calls,
            long packetsPerCall) {
        List<StampSender> senders = new ArrayList<>(calls);
        List<CompletableFuture<CallFigures>> results = new ArrayList<>(calls);
        double seconds = packetsPerCall * request.intervalNanos() / 1e9;
        try {
            for (int i = 0; i < calls; i++) {
                StampSender sender = StampSender.open(group, request.stamp(),
                        request.senderOptions().withSsid(FIRST_SSID + i));
                senders.add(sender);
                sender.setSpinForReplies(false);
                if (request.dscp() != 0) {
                    sender.setDscp(request.dscp());
                }
                CallTrace trace = new CallTrace();
                sender.addAnswerListener(trace);
                long offset = i == 0 ? 0 : ThreadLocalRandom.current().nextLong(request.intervalNanos());
                CompletableFuture<CallFigures> figures = new CompletableFuture<>();
                group.next().schedule(() -> {
                    sender.runCount((int) packetsPerCall, request.target()).whenComplete((LatencyWindow w, Throwable e) -> {
                        if (e != null) {
                            figures.completeExceptionally(e);
                        } else {
                            figures.complete(trace.figures(w.sent(), request.packetSize(), seconds, request.audio()));
                        }
                    });
                }, offset, TimeUnit.NANOSECONDS);
                results.add(figures);
            }
        } catch (RuntimeException e) {
            senders.forEach(StampSender::close);
            return CompletableFuture.failedFuture(e);
        }
        // Off the event loops: closing a sender waits for its channel, which may live on another loop.
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).handleAsync((ok, error) -> {
            String timestamps = senders.get(0).timestamps();
            int replyDscp = senders.get(0).replyDscp();
            senders.forEach(StampSender::close);
            if (error != null) {
                throw error instanceof RuntimeException re ? re : new IllegalStateException(error);
            }
            List<CallFigures> out = new ArrayList<>(calls);
            results.forEach(f -> out.add(f.join()));
            return new Outcome(out, timestamps, replyDscp);
        });
    }
}
