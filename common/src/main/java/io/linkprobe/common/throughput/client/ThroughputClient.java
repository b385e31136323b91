package io.linkprobe.common.throughput.client;

import io.linkprobe.common.net.Transports;
import io.linkprobe.common.throughput.measurement.IntervalSeries;
import io.linkprobe.common.throughput.measurement.Payload;
import io.linkprobe.common.throughput.protocol.Direction;
import io.linkprobe.common.throughput.protocol.ServerStatus;
import io.linkprobe.common.throughput.protocol.ThroughputPipelines;
import io.linkprobe.common.wire.ThroughputResult;
import io.linkprobe.common.wire.ThroughputResult.Outcome;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Runs throughput tests against a responder
 * ({@link io.linkprobe.common.throughput.server.ThroughputServer}, default port 9863). The
 * returned stages never fail: unreachable, refused, busy, auth failure and errors are outcomes in
 * the results, each with one clear message.
 */
public final class ThroughputClient {
    /** After these, the other directions would fail the same way: they are not attempted. */
    private static final Set<String> FATAL = Set.of(Outcome.BUSY.wireName(), Outcome.REFUSED.wireName(),
            Outcome.UNREACHABLE.wireName(), Outcome.AUTH_FAILED.wireName());

    private final EventLoopGroup group;

    /** @param group from {@link Transports#group}; epoll gives TCP_INFO for uploads */
    public ThroughputClient(EventLoopGroup group) {
        this.group = group;
    }

    public CompletionStage<List<ThroughputResult>> run(ThroughputRequest request) {
        return run(request, ThroughputListener.NONE);
    }

    /**
     * Runs the request's directions one after the other.
     *
     * @return one result per requested direction, in order; if one direction is busy, refused,
     *     unreachable or not authenticated, the later ones are not run and carry the same outcome
     */
    public CompletionStage<List<ThroughputResult>> run(ThroughputRequest request, ThroughputListener listener) {
        ByteBuf payload = Payload.create();
        CompletableFuture<List<ThroughputResult>> chain = CompletableFuture.completedFuture(new ArrayList<>());
        for (Direction direction : request.directions()) {
            chain = chain.thenCompose(results -> {
                ThroughputResult last = results.isEmpty() ? null : results.get(results.size() - 1);
                CompletableFuture<ThroughputResult> next = last != null && FATAL.contains(last.result())
                        ? CompletableFuture.completedFuture(notRun(last, direction))
                        : runOne(request, direction, listener, payload);
                return next.thenApply(r -> {
                    results.add(r);
                    return results;
                });
            });
        }
        return chain.<List<ThroughputResult>>thenApply(List::copyOf).whenComplete((r, e) -> payload.release());
    }

    private CompletableFuture<ThroughputResult> runOne(ThroughputRequest request, Direction direction,
            ThroughputListener listener, ByteBuf payload) {
        CompletableFuture<ThroughputResult> result = new CompletableFuture<>();
        CompletionStage<?> ready;
        try {
            ready = listener.beforeDirection(direction);
        } catch (RuntimeException e) {
            ready = CompletableFuture.failedFuture(e);
        }
        ready.whenComplete((ignored, failure) -> {
            if (failure != null) {
                result.complete(new ResultBuilder(request, direction).error(0,
                        "before-direction hook failed: " + failure, 0, new IntervalSeries()));
            } else {
                new ClientSession(group, request, direction, listener, payload).run().thenAccept(result::complete);
            }
        });
        return result;
    }

    private static ThroughputResult notRun(ThroughputResult previous, Direction direction) {
        return new ThroughputResult(previous.target(), previous.endEpochMillis(), previous.endEpochMillis(),
                direction.wireName(), previous.result(), previous.message(), previous.streams(), 0, 0, 0, 0, false,
                previous.intervalMillis(), List.of(), null, null);
    }

    /**
     * Asks a responder how busy it is (no authentication needed).
     *
     * @return the status; fails with an IOException if unreachable or no answer within the timeout
     */
    public CompletionStage<ServerStatus> status(String host, int port, Duration timeout) {
        CompletableFuture<ServerStatus> answer = new CompletableFuture<>();
        Bootstrap b = new Bootstrap().group(group).channel(Transports.socket())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ThroughputPipelines.clientControl(ch.pipeline(), new StatusQueryHandler(answer));
                    }
                });
        ChannelFuture connect = b.connect(host, port);
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                answer.completeExceptionally(new IOException(host + ":" + port + ": " + f.cause().getMessage(),
                        f.cause()));
            }
        });
        connect.channel().eventLoop().schedule(() -> {
            if (answer.completeExceptionally(new IOException("no status from " + host + ":" + port + " within "
                    + timeout.toMillis() + " ms"))) {
                connect.channel().close();
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        return answer;
    }
}
