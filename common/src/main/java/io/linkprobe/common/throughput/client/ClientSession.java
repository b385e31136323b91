package io.linkprobe.common.throughput.client;

import io.linkprobe.common.net.CongestionControl;
import io.linkprobe.common.net.Transports;
import io.linkprobe.common.throughput.measurement.GoodputCounter;
import io.linkprobe.common.throughput.measurement.IntervalSeries;
import io.linkprobe.common.throughput.measurement.IntervalTicker;
import io.linkprobe.common.throughput.measurement.ReceivingStream;
import io.linkprobe.common.throughput.measurement.SendingStream;
import io.linkprobe.common.throughput.measurement.StabilityRule;
import io.linkprobe.common.throughput.measurement.TcpStats;
import io.linkprobe.common.throughput.protocol.ControlMessage;
import io.linkprobe.common.throughput.protocol.ControlMessage.Accept;
import io.linkprobe.common.throughput.protocol.ControlMessage.Busy;
import io.linkprobe.common.throughput.protocol.ControlMessage.Hello;
import io.linkprobe.common.throughput.protocol.ControlMessage.Reject;
import io.linkprobe.common.throughput.protocol.ControlMessage.Report;
import io.linkprobe.common.throughput.protocol.ControlMessage.Result;
import io.linkprobe.common.throughput.protocol.ControlMessage.Start;
import io.linkprobe.common.throughput.protocol.ControlMessage.Stop;
import io.linkprobe.common.throughput.protocol.DataHeader;
import io.linkprobe.common.throughput.protocol.Direction;
import io.linkprobe.common.throughput.protocol.HelloAuth;
import io.linkprobe.common.throughput.protocol.StopReason;
import io.linkprobe.common.throughput.protocol.TestId;
import io.linkprobe.common.throughput.protocol.ThroughputKeys;
import io.linkprobe.common.throughput.protocol.ThroughputPipelines;
import io.linkprobe.common.wire.ThroughputResult;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One direction of a test, client side; confined to the control connection's event loop.
 *
 * <p>connect → HELLO → ACCEPT (or BUSY / REJECT: done) → N data connections, each sending its
 * {@link DataHeader} → START → load, measured at the receiver (here for downloads, REPORTs from the
 * responder for uploads) → stop on stability, the granted duration or bytes → STOP; the sender
 * FINs, the receiver closes → RESULT. The result is built once every data connection has ended and
 * RESULT has arrived. {@link #run()} never completes exceptionally: failures are outcomes.
 */
final class ClientSession implements SendingStream.Listener, ReceivingStream.Listener {
    /** After START, how long past the granted duration before the client gives up on the responder. */
    private static final long FINISH_GRACE_MILLIS = 15_000;

    private final EventLoopGroup group;
    private final ThroughputRequest request;
    private final Direction direction;
    private final ThroughputListener listener;
    private final ByteBuf payload;
    private final ResultBuilder results;
    private final CompletableFuture<ThroughputResult> done = new CompletableFuture<>();
    private final TestId id = TestId.random();
    private final List<Channel> data = new ArrayList<>();
    private final List<SendingStream> senders = new ArrayList<>();
    private final List<ScheduledFuture<?>> timers = new ArrayList<>();
    private final AtomicLong budget = new AtomicLong();
    private final IntervalSeries series = new IntervalSeries();
    private Channel control;
    private EventLoop loop;
    private Accept grant;
    private StabilityRule rule;
    private GoodputCounter received;
    private IntervalTicker ticker;
    private boolean started;
    private StopReason stopReason;
    private Result serverResult;
    private int ended;
    private long startEpochMillis;

    ClientSession(EventLoopGroup group, ThroughputRequest request, Direction direction, ThroughputListener listener,
            ByteBuf payload) {
        this.group = group;
        this.request = request;
        this.direction = direction;
        this.listener = listener;
        this.payload = payload.retain();
        this.results = new ResultBuilder(request, direction);
    }

    CompletableFuture<ThroughputResult> run() {
        Bootstrap b = new Bootstrap().group(group).channel(Transports.socket())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) request.connectTimeout().toMillis())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ThroughputPipelines.clientControl(ch.pipeline(), new ClientControlHandler(ClientSession.this));
                    }
                });
        ChannelFuture connect = b.connect(request.host(), request.port());
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                complete(results.connectFailed(f.cause()));
            } else {
                schedule(request.connectTimeout().toMillis(), () -> {
                    if (grant == null) {
                        fail("no answer to the hello within " + request.connectTimeout().toSeconds() + " s");
                    }
                });
            }
        });
        return done;
    }

    /** The control connection's handler was added: from here on, everything runs on its loop. */
    void controlChannel(Channel ch) {
        control = ch;
        loop = ch.eventLoop();
    }

    Hello hello() {
        Hello unsigned = new Hello(ControlMessage.VERSION, id, direction, request.streams(), request.intervalMillis(),
                request.maxDuration().toMillis(), request.maxBytes(), System.currentTimeMillis(), request.keyId(),
                null);
        return request.secret() == null ? unsigned : HelloAuth.sign(unsigned, ThroughputKeys.derive(request.secret()));
    }

    void received(ControlMessage msg) {
        if (msg instanceof Accept a && grant == null) {
            accepted(a);
        } else if (msg instanceof Busy b) {
            listener.busy(direction, b.retryAfterMillis(), b.queuePosition());
            complete(results.busy(b));
        } else if (msg instanceof Reject r) {
            complete(results.rejected(r));
        } else if (msg instanceof Start && grant != null && !started) {
            start();
        } else if (msg instanceof Report r && direction == Direction.UP) {
            interval(r.index(), r.bytes(), r.elapsedMicros() * 1000);
        } else if (msg instanceof Result r) {
            serverResult = r;
            maybeFinish();
        } else {
            fail("unexpected " + msg.getClass().getSimpleName() + " from the responder");
        }
    }

    private void accepted(Accept a) {
        grant = a;
        rule = new StabilityRule(a.intervalMillis());
        received = new GoodputCounter(Long.MAX_VALUE, () -> loop.execute(this::firstByte), () -> { });
        ticker = new IntervalTicker(loop, received, a.intervalMillis(), this::interval);
        schedule(DataHeader.ATTACH_TIMEOUT_MILLIS + request.connectTimeout().toMillis(), () -> {
            if (!started) {
                fail("the responder did not start the test");
            }
        });
        for (int i = 0; i < request.streams(); i++) {
            connectData(i);
        }
    }

    private void connectData(int index) {
        boolean sending = direction == Direction.UP;
        Bootstrap b = new Bootstrap().group(group).channel(Transports.socket())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) request.connectTimeout().toMillis())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (sending) {
                            CongestionControl.applyOrWarn(ch, request.congestionControl());
                            SendingStream s = new SendingStream(ch, payload, budget, ClientSession.this);
                            loop.execute(() -> senders.add(s));
                            ThroughputPipelines.clientData(ch, s);
                        } else {
                            ThroughputPipelines.clientData(ch, new ReceivingStream(received, ClientSession.this));
                        }
                    }
                });
        ChannelFuture connect = b.connect(control.remoteAddress());
        data.add(connect.channel());
        connect.addListener(f -> {
            if (f.isSuccess()) {
                connect.channel().writeAndFlush(new DataHeader(ControlMessage.VERSION, id, index).encodeWithPreamble());
            } else {
                loop.execute(() -> fail("data connection failed: " + f.cause().getMessage()));
            }
        });
    }

    private void start() {
        started = true;
        startEpochMillis = System.currentTimeMillis();
        listener.loadStarted(direction);
        schedule(grant.grantedDurationMillis(), () -> stop(StopReason.DURATION_LIMIT));
        schedule(grant.grantedDurationMillis() + FINISH_GRACE_MILLIS, () -> fail("the test did not finish"));
        if (direction == Direction.UP) {
            budget.set(grant.grantedBytes());
            senders.forEach(SendingStream::start);
        } else if (received.firstByteNanos() != 0) {
            // The responder starts sending as it writes START: data can overtake it.
            ticker.start();
        }
    }

    private void firstByte() {
        if (started && stopReason == null) {
            ticker.start();
        }
    }

    private void interval(int index, long bytes, long elapsedNanos) {
        if (stopReason != null || done.isDone()) {
            return;
        }
        series.add(bytes, elapsedNanos);
        listener.interval(direction, index, bytes, bytes * 1e9 / Math.max(1, elapsedNanos));
        if (rule.stable(series)) {
            stop(StopReason.STABLE);
        }
    }

    private void stop(StopReason why) {
        if (stopReason != null || !started || done.isDone()) {
            return;
        }
        stopReason = why;
        ticker.stop();
        control.writeAndFlush(new Stop(why));
        senders.forEach(SendingStream::stop);
    }

    @Override
    public void budgetExhausted() {
        loop.execute(() -> stop(StopReason.BYTES_LIMIT));
    }

    @Override
    public void sendingEnded(SendingStream stream, boolean peerReadAll) {
        loop.execute(() -> streamEnded(peerReadAll));
    }

    @Override
    public void receivingEnded(ReceivingStream stream, boolean sawEndOfData) {
        loop.execute(() -> streamEnded(sawEndOfData));
    }

    /** @param cleanly the data ended with FIN (a stream's share of the byte limit, or a stop) */
    private void streamEnded(boolean cleanly) {
        if (!started) {
            fail("the responder closed a data connection before the test started");
        } else if (++ended == request.streams()) {
            ticker.stop();
            listener.loadEnded(direction);
            maybeFinish();
        } else if (!cleanly && stopReason == null) {
            // One stream reset or cut: end the load on the others too.
            stop(StopReason.CONNECTION_LOST);
        }
    }

    private void maybeFinish() {
        if (serverResult == null || ended < request.streams() || done.isDone()) {
            return;
        }
        List<TcpStats> tcp = senders.stream().map(SendingStream::tcp).toList();
        complete(results.finished(startEpochMillis, grant, stopReason, serverResult, series, rule,
                direction == Direction.DOWN ? received.total() : serverResult.bytes(),
                direction == Direction.DOWN ? received.seconds() : serverResult.elapsedMicros() / 1e6,
                direction == Direction.DOWN ? serverResult.tcp() : TcpStats.combine(tcp)));
    }

    void controlClosed() {
        if (serverResult == null) {
            fail(grant == null ? "the responder closed the connection without answering"
                    : "the responder closed the control connection during the test");
        }
    }

    /** Ends this direction with outcome {@code error}; closes every connection. */
    void fail(String message) {
        if (!done.isDone()) {
            complete(results.error(startEpochMillis, message, received == null ? 0 : received.total(), series));
        }
    }

    private void complete(ThroughputResult result) {
        if (done.isDone()) {
            return;
        }
        timers.forEach(t -> t.cancel(false));
        if (ticker != null) {
            ticker.stop();
        }
        if (started && ended < request.streams()) {
            listener.loadEnded(direction);
        }
        if (control != null) {
            control.close();
        }
        releasePayloadWhenClosed();
        done.complete(result);
    }

    /** On error paths a sender may still be writing: keep our reference until every stream is shut. */
    private void releasePayloadWhenClosed() {
        AtomicInteger open = new AtomicInteger(data.size() + 1);
        Runnable closed = () -> {
            if (open.decrementAndGet() == 0) {
                payload.release();
            }
        };
        for (Channel ch : data) {
            ch.close().addListener(f -> closed.run());
        }
        closed.run();
    }

    private void schedule(long delayMillis, Runnable task) {
        timers.add(loop.schedule(task, delayMillis, TimeUnit.MILLISECONDS));
    }
}
