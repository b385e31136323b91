package io.linkprobe.collector.load;

import io.linkprobe.common.net.Transports;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * N simulated agents on a few event loops, each with its own keep-alive connection to the
 * collector. The pipeline of each connection: HTTP codec → aggregator → {@link PushClientHandler}.
 */
final class LoadRun implements AutoCloseable {
    /** Answers are one-line JSON or text; anything this big is not a collector answer. */
    private static final int MAX_RESPONSE_BYTES = 64 * 1024;

    private final EventLoopGroup group;
    private final InetSocketAddress address;
    private final String hostHeader;
    private final Workload workload;
    private volatile LoadStats stats = new LoadStats();
    private final AtomicInteger openConnections = new AtomicInteger();
    private final AtomicInteger peakConnections = new AtomicInteger();
    private final AtomicLong lastFinishNanos = new AtomicLong();
    private CountDownLatch finished = new CountDownLatch(0);
    private volatile long startNanos;
    /** When each agent had pushed all it had, in ns after {@link #start}. */
    private final List<Long> finishedAfterNanos = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

    LoadRun(URI collector, int threads, Workload workload) {
        this.group = Transports.group(threads, "load");
        this.address = new InetSocketAddress(collector.getHost(), collector.getPort());
        this.hostHeader = collector.getHost() + ":" + collector.getPort();
        this.workload = workload;
    }

    /**
     * Starts one agent per roster entry, the first push of agent {@code i} after
     * {@code i * spreadNanos / n} (0: all at once).
     */
    void start(List<Roster.Entry> sites, PushBodies bodies, long spreadNanos) {
        start(sites, bodies, spreadNanos, null);
    }

    /**
     * As above, or, with {@code jitter}, each agent's first push after a random time uniform in
     * {@code [0, spreadNanos)}: agents whose full-jitter backoff (capped at {@code spreadNanos})
     * was running when the collector came back.
     */
    void start(List<Roster.Entry> sites, PushBodies bodies, long spreadNanos, SplittableRandom jitter) {
        finished = new CountDownLatch(sites.size());
        startNanos = System.nanoTime();
        long firstSequence = System.currentTimeMillis();
        for (Roster.Entry site : sites) {
            EventLoop loop = group.next();
            byte[] prefix = PushBodies.prefix(bodies.identity(site));
            // Sequences only grow: each run starts at the wall clock in ms, past any earlier run's last.
            SimAgent agent = new SimAgent(this, loop, site, prefix, firstSequence);
            long offset = sites.size() <= 1 || spreadNanos == 0 ? 0
                    : jitter != null ? jitter.nextLong(spreadNanos) : spreadNanos * site.index() / sites.size();
            agent.dueNanos = System.nanoTime() + offset;
            agent.start(offset);
        }
    }

    Bootstrap bootstrap(EventLoop loop, SimAgent agent) {
        return new Bootstrap()
                .group(loop)
                .channel(Transports.socket())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast("codec", new HttpClientCodec())
                                .addLast("aggregator", new HttpObjectAggregator(MAX_RESPONSE_BYTES))
                                .addLast("agent", new PushClientHandler(agent));
                    }
                });
    }

    /** Waits until every agent has pushed all it had to; false on timeout. */
    boolean awaitFinished(long timeout, TimeUnit unit) throws InterruptedException {
        return finished.await(timeout, unit);
    }

    long unfinished() {
        return finished.getCount();
    }

    /** Starts counting afresh (after a warm-up) and returns what was counted so far. */
    LoadStats resetStats() {
        LoadStats old = stats;
        stats = new LoadStats();
        return old;
    }

    LoadStats stats() {
        return stats;
    }

    Workload workload() {
        return workload;
    }

    InetSocketAddress address() {
        return address;
    }

    String hostHeader() {
        return hostHeader;
    }

    void connectionOpened() {
        peakConnections.accumulateAndGet(openConnections.incrementAndGet(), Math::max);
    }

    void connectionClosed() {
        openConnections.decrementAndGet();
    }

    int openConnections() {
        return openConnections.get();
    }

    int peakConnections() {
        return peakConnections.get();
    }

    void agentFinished() {
        long now = System.nanoTime();
        lastFinishNanos.accumulateAndGet(now, Math::max);
        finishedAfterNanos.add(now - startNanos);
        finished.countDown();
    }

    /** Seconds from {@link #start} until the given share of agents had pushed all they had (0..1). */
    double finishedSeconds(double share) {
        List<Long> sorted;
        synchronized (finishedAfterNanos) {
            sorted = new java.util.ArrayList<>(finishedAfterNanos);
        }
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        java.util.Collections.sort(sorted);
        int i = Math.min(sorted.size() - 1, Math.max(0, (int) Math.ceil(share * sorted.size()) - 1));
        return sorted.get(i) / 1e9;
    }

    long lastFinishNanos() {
        return lastFinishNanos.get();
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
}
