package io.linkprobe.collector.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.collector.Exposition;
import io.linkprobe.collector.TestCollector;
import io.linkprobe.common.auth.Tokens;
import io.linkprobe.common.net.Transports;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generator against a real collector on port 0, and its retry rule against a stub. */
class LoadRunTest {
    private static final String[] TARGETS = {"hub", "hub-dr"};

    @Test
    void stormDrainsEverySpoolAndTheCollectorStoresEveryResultOnce(@TempDir Path dir) throws Exception {
        List<Roster.Entry> sites = sites(12);
        try (TestCollector c = TestCollector.start(dir, tokens(sites))) {
            PushBodies bodies = new PushBodies(4);
            StormWorkload storm = new StormWorkload(bodies, TARGETS, 6, 4, System.currentTimeMillis());
            try (LoadRun run = new LoadRun(c.uri("/"), 2, storm)) {
                run.start(sites, bodies, 0);
                assertTrue(run.awaitFinished(120, TimeUnit.SECONDS), run.unfinished() + " agents still pushing");
                LoadStats s = run.stats();
                assertEquals(0, s.errors(), "errors: " + s.errorStatuses());
                assertEquals(12 * 2, s.acked.sum(), "6 windows in batches of 4: two pushes per agent");
                assertEquals(0, s.duplicates.sum());
                assertEquals(12 * 6, s.windows.sum());
                // Each agent: 6 windows, one throughput result, one health sample per push.
                assertEquals(12 * (6 + 1 + 2), s.samples.sum());
                assertEquals(s.samples.sum(), Exposition.unlabelled(c.metrics(), "linkprobe_collector_ingested_total"));
                assertEquals(9, c.collector.archive().history("site-00003", 0, Long.MAX_VALUE, 100).size());
            }
        }
    }

    @Test
    void steadyAgentsPushOnScheduleUntilStopped(@TempDir Path dir) throws Exception {
        List<Roster.Entry> sites = sites(5);
        try (TestCollector c = TestCollector.start(dir, tokens(sites))) {
            PushBodies bodies = new PushBodies(4);
            long intervalNanos = TimeUnit.MILLISECONDS.toNanos(100);
            SteadyWorkload steady = new SteadyWorkload(bodies, TARGETS, intervalNanos, 0.5);
            try (LoadRun run = new LoadRun(c.uri("/"), 2, steady)) {
                run.start(sites, bodies, intervalNanos);
                Thread.sleep(1_500);
                steady.stopAt(System.nanoTime());
                assertTrue(run.awaitFinished(120, TimeUnit.SECONDS));
                LoadStats s = run.stats();
                assertEquals(0, s.errors(), "errors: " + s.errorStatuses());
                // 5 agents × 15 intervals on a quiet machine; a busy one makes pushes late, so the
                // lower bound is one push per agent — the schedule is never exceeded, nothing is lost.
                assertTrue(s.acked.sum() >= 5 && s.acked.sum() <= 5 * 16 + 5, "acked " + s.acked.sum());
                assertEquals(2 * s.acked.sum(), s.windows.sum());
                assertEquals(s.samples.sum(), Exposition.unlabelled(c.metrics(), "linkprobe_collector_ingested_total"));
                assertEquals(5, run.peakConnections(), "one keep-alive connection per agent");
            }
        }
    }

    @Test
    void a503IsRetriedAfterItsRetryAfterAndCountedApartFromErrors() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        EventLoopGroup group = Transports.group(1, "stub");
        try {
            Channel stub = stub(group, requests);
            int port = ((InetSocketAddress) stub.localAddress()).getPort();
            PushBodies bodies = new PushBodies(4);
            StormWorkload storm = new StormWorkload(bodies, TARGETS, 2, 2, System.currentTimeMillis());
            try (LoadRun run = new LoadRun(URI.create("http://127.0.0.1:" + port), 1, storm)) {
                long start = System.nanoTime();
                run.start(sites(1), bodies, 0);
                assertTrue(run.awaitFinished(120, TimeUnit.SECONDS));
                LoadStats s = run.stats();
                assertEquals(2, requests.get());
                assertEquals(1, s.retried503.sum());
                assertEquals(0, s.errors());
                assertEquals(1, s.acked.sum());
                assertTrue(System.nanoTime() - start >= TimeUnit.SECONDS.toNanos(1), "waited Retry-After: 1");
            }
            stub.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /** Answers the first push with 503 + Retry-After: 1, later ones with an ack. */
    private static Channel stub(EventLoopGroup group, AtomicInteger requests) throws InterruptedException {
        return new ServerBootstrap().group(group).channel(Transports.serverSocket())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20),
                                new SimpleChannelInboundHandler<FullHttpRequest>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
                                        boolean first = requests.incrementAndGet() == 1;
                                        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                                                first ? HttpResponseStatus.SERVICE_UNAVAILABLE : HttpResponseStatus.OK,
                                                Unpooled.copiedBuffer(first ? "busy\n" : "{\"acked_sequence\":1,\"duplicate\":false}",
                                                        StandardCharsets.US_ASCII));
                                        if (first) {
                                            response.headers().set("Retry-After", "1");
                                        }
                                        HttpUtil.setContentLength(response, response.content().readableBytes());
                                        ctx.writeAndFlush(response);
                                    }
                                });
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    private static List<Roster.Entry> sites(int n) {
        List<Roster.Entry> sites = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            sites.add(new Roster.Entry(i, Roster.siteName(i), Tokens.newToken()));
        }
        return sites;
    }

    private static Map<String, String> tokens(List<Roster.Entry> sites) {
        Map<String, String> bySite = new LinkedHashMap<>();
        sites.forEach(s -> bySite.put(s.site(), s.token()));
        return bySite;
    }
}
