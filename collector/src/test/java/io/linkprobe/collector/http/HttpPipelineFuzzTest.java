package io.linkprobe.collector.http;

import ch.qos.logback.classic.Level;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.linkprobe.collector.config.ByteSize;
import io.linkprobe.collector.config.Limits;
import io.linkprobe.common.testing.fuzz.EmbeddedTcpChannel;
import io.linkprobe.common.testing.fuzz.FuzzInput;
import io.linkprobe.common.testing.fuzz.Fuzzing;
import io.linkprobe.common.testing.fuzz.LeakReports;
import io.linkprobe.common.testing.fuzz.LogFindings;
import io.linkprobe.common.testing.fuzz.TrackingAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;

/**
 * One connection to the collector's HTTP port, driven byte by byte on an EmbeddedChannel through
 * the pipeline {@link HttpChannelInitializer} builds (connection limit, read/idle timeouts, HTTP/1.1
 * codec with its header and request-line limits, response compression, the body-limit aggregator,
 * gzip/deflate request decoding, the request handler with keep-alive and pipelining), in any split,
 * with time passing, half-closes and closes. The endpoints here answer at once on the connection's
 * own thread (an EmbeddedChannel's loop is every thread's, so the real ones, which complete on the
 * archive's threads, are {@link HttpFuzzTest}'s, over a socket): an echo of the body as the
 * endpoint received it, a reply large enough to be compressed, a prefix route with query
 * parameters.
 *
 * <p>Never seen: a body handed to an endpoint larger than {@code max_body_bytes} (after
 * decompression too), a 500, an exception reaching the end of the pipeline (but the aggregator's
 * {@link PrematureChannelClosureException} when the client closes mid-request), an error logged, a
 * leaked buffer (tracking allocator, and Netty's detector at PARANOID), a task still pending after
 * the connection closed.
 *
 * <pre>
 * input := options u8 (bit 0 the peer is on loopback) op*
 * op    := 0 bytes arrive | length u16 | bytes
 *        | 1 time passes | seconds u8 (read timeout 5 s, idle 20 s here)
 *        | 2 the client half-closes (FIN; once: no bytes arrive after it)
 *        | 3 the client closes
 * </pre>
 */
class HttpPipelineFuzzTest {
    /** Small, so that the fuzzer reaches the limits with small inputs. */
    private static final int MAX_BODY = 4096;
    private static final Limits LIMITS = Limits.DEFAULT.withMaxBodyBytes(ByteSize.ofKibibytes(4))
            .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(20));
    private static final byte[] LARGE = "metric_name{label=\"value\"} 1\n".repeat(1000).getBytes(StandardCharsets.UTF_8);

    static {
        LeakReports.install();
        LogFindings.failOn("io.linkprobe", Level.ERROR);
    }

    @FuzzTest(maxDuration = Fuzzing.DURATION)
    void connection(byte[] bytes) {
        FuzzInput in = new FuzzInput(bytes);
        int options = in.u8();
        List<String> bodyTooLarge = new ArrayList<>();
        Router router = new Router()
                .route(HttpMethod.POST, "/echo", request -> {
                    int n = request.body().readableBytes();
                    if (n > MAX_BODY) {
                        bodyTooLarge.add(n + " bytes");
                    }
                    byte[] body = new byte[n];
                    request.body().getBytes(request.body().readerIndex(), body);
                    return CompletableFuture.completedFuture(Reply.of(HttpResponseStatus.OK, "application/octet-stream", body));
                })
                .route(HttpMethod.GET, "/large", request -> CompletableFuture.completedFuture(
                        Reply.of(HttpResponseStatus.OK, Reply.TEXT, LARGE)))
                .routePrefix(HttpMethod.GET, "/api/v1/sites/", request -> CompletableFuture.completedFuture(
                        Reply.text(HttpResponseStatus.OK, request.path() + " from=" + request.param("from") + " host="
                                + request.host())));
        List<Throwable> reachedHandler = new ArrayList<>();
        HttpChannelInitializer init = new HttpChannelInitializer(null, LIMITS,
                new ConnectionLimiter(LIMITS.maxConnections(), RejectionCounter.NONE), router, RejectionCounter.NONE,
                new DefaultChannelGroup(ImmediateEventExecutor.INSTANCE));
        TrackingAllocator alloc = new TrackingAllocator();
        InetSocketAddress peer = new InetSocketAddress((options & 1) != 0 ? "127.0.0.1" : "198.18.0.7", 50000);
        EmbeddedTcpChannel ch = new EmbeddedTcpChannel(alloc, peer, new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel c) {
                init.addHandlers(c.pipeline(), alloc);
                c.pipeline().addBefore(PipelineNames.HANDLER, "fuzz-exceptions", new ChannelInboundHandlerAdapter() {
                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        // The one declared: the client closed (or half-closed) in the middle of a request.
                        if (!(cause instanceof PrematureChannelClosureException)) {
                            reachedHandler.add(cause);
                        }
                        ctx.fireExceptionCaught(cause);
                    }
                });
            }
        });
        ch.freezeTime();
        StringBuilder answers = new StringBuilder();
        boolean finSent = false;
        while (in.hasMore() && ch.isOpen()) {
            switch (in.u8() & 3) {
                case 0 -> {
                    byte[] chunk = in.chunk();
                    if (!finSent) { // after its FIN a client's bytes never arrive (found by fuzzing: the
                        ch.writeInbound(alloc.wrap(chunk)); // codec then aggregated a second request)
                    }
                }
                case 1 -> ch.advanceTimeBy(in.u8(), TimeUnit.SECONDS);
                case 2 -> {
                    if (!finSent) { // one FIN per connection
                        finSent = true;
                        ch.shutdownInput();
                        ch.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
                    }
                }
                default -> ch.close();
            }
            settle(ch, answers);
        }
        ch.close();
        settle(ch, answers);
        ch.advanceTimeBy(60, TimeUnit.SECONDS);
        settle(ch, answers);
        ch.finishAndReleaseAll();
        alloc.assertAllReleased();
        LeakReports.assertNone();
        LogFindings.assertNone();
        if (!bodyTooLarge.isEmpty()) {
            throw new AssertionError("an endpoint got a body over max_body_bytes (" + MAX_BODY + "): " + bodyTooLarge);
        }
        if (!reachedHandler.isEmpty()) {
            throw new AssertionError("an exception reached the request handler: " + reachedHandler.get(0), reachedHandler.get(0));
        }
        // Response by response: a body may hold those bytes (found by fuzzing: a 200's binary body).
        if (HttpAnswers.statuses(answers.toString()).contains(500)) {
            throw new AssertionError("a 500 Internal Server Error: " + answers);
        }
    }

    /** Runs tasks and timers that are due, and takes the answers out. */
    private static void settle(EmbeddedTcpChannel ch, StringBuilder answers) {
        ch.runPendingTasks();
        ch.runScheduledPendingTasks();
        for (Object out; (out = ch.readOutbound()) != null; ) {
            if (out instanceof ByteBuf b && answers.length() < 64 * 1024) {
                answers.append(b.toString(StandardCharsets.ISO_8859_1));
            }
            ReferenceCountUtil.release(out);
        }
    }

    @AfterAll
    static void noLeakReportedByNetty() throws InterruptedException {
        LeakReports.collectAndAssertNone();
    }
}
