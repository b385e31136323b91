package io.linkprobe.common.stamp;

import io.linkprobe.common.net.Dscp;
import io.linkprobe.common.net.NativeDatagramSocket;
import io.linkprobe.common.net.Transports;
import io.linkprobe.common.stats.Rfc3550Jitter;
import io.linkprobe.common.wire.LatencyWindow;
import io.netty.bootstrap.Bootstrap;
import io.linkprobe.common.net.SpinWindow;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A STAMP Session-Sender (RFC 8762 §4.2) towards one reflector, on its own connected UDP socket.
 *
 * <p>Either {@link #start()} probes continuously (the agent drains a {@link LatencyWindow} every
 * window with {@link #drainWindow}), or {@link #runCount} sends exactly N packets and completes when
 * all N are decided (the one-shot CLI). RTT is the reply's arrival less the send, less the
 * reflector's stated turnaround (T3 - T2). Where the machine allows ({@link StampReflector#start}
 * says when), the socket is the native one and the arrival is the kernel's receive timestamp, so
 * this sender's own wake-up, GC pauses and scheduling stay out of the RTT ({@link ReplyTiming} says
 * how a clock step is kept out too); elsewhere it is read with {@code System.nanoTime} on a Netty
 * channel, and the event loop spins briefly around the expected arrival to shorten its wake-up
 * ({@link SpinWindow}). {@link #timestamps()} says which. A packet unanswered after the timeout is lost; its direction comes
 * from the reflector's own sequence numbers ({@link LossDirection} explains how, and what happens
 * with a stateless reflector).
 *
 * <p>All bookkeeping runs on the channel's event loop; the public methods may be called from any
 * thread.
 */
public final class StampSender implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StampSender.class);

    private final SenderOptions opts;
    private final StampMode mode;
    private final StampAuth.Signer signer;
    private final int errorEstimate;
    private final byte[] filler;
    private final SenderSession session;
    private final Rfc3550Jitter jitter = new Rfc3550Jitter();
    private final ReplyDecoder decoder;
    private final SenderHandler handler;
    private final List<LongConsumer> rttListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<AnsweredPacket>> answerListeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean busy = new AtomicBoolean();
    private final Channel channel; // the Netty path, or null
    private final NativeDatagramSocket socket; // the native path, or null
    private final ByteBuf nativeSendBuffer;
    private final String timestamps;
    private final EventLoop loop;
    private final ScheduledFuture<?> ticker;
    private static final long SPIN_LEAD_NANOS = TimeUnit.MICROSECONDS.toNanos(300);
    private static final long SPIN_MAX_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private final RecentMin rtts = new RecentMin(16);
    private final SendLoop sendLoop;

    private volatile long bytesSent;
    private volatile long kernelRtts;
    private volatile long txStamped;
    private volatile long userRtts;
    private volatile boolean spinForReplies = true;
    private volatile int replyTos = -1;
    private volatile boolean ownSequenceSeen;
    private volatile boolean closed;

    // Event-loop confined.
    private CompletableFuture<LatencyWindow> run;
    private String runTarget;

    private StampSender(EventLoopGroup group, InetSocketAddress target, SenderOptions opts) {
        if (target.isUnresolved()) {
            throw new IllegalArgumentException("cannot resolve STAMP target " + target.getHostString());
        }
        this.opts = opts;
        this.mode = opts.mode();
        this.signer = opts.auth() == null ? null : opts.auth().newSigner();
        this.errorEstimate = opts.clock().encode();
        this.filler = new byte[Math.max(0, opts.packetSize() - mode.baseSize)];
        new SplittableRandom().nextBytes(filler); // RFC 8972 §4.1: Extra Padding should be pseudorandom
        this.session = new SenderSession(opts.timeout().toNanos(), SenderSession.DEFAULT_CAPACITY, System.currentTimeMillis());
        this.decoder = new ReplyDecoder(mode, opts.auth(), opts.clock().synchronizedToUtc());
        this.handler = new SenderHandler(this::onReply);

        EventLoop chosen = group.next();
        String why = StampReflector.userTimestampsReason(chosen, opts.kernelTimestamps());
        if (why == null) {
            this.socket = NativeDatagramSocket.open(chosen, null, target, StampPacket.MAX_SIZE, this::onDatagram);
            boolean tx = loopCall(chosen, socket::enableTxTimestamps);
            this.channel = null;
            this.nativeSendBuffer = io.netty.buffer.Unpooled.directBuffer(StampPacket.MAX_SIZE);
            this.timestamps = tx ? "kernel" : "kernel (receive only: no transmit timestamps here)";
            this.loop = chosen;
        } else {
            Bootstrap b = new Bootstrap()
                    .group(chosen)
                    .channel(Transports.datagramFor(chosen))
                    .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(StampPacket.MAX_SIZE + 1))
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            // The order of the sender's pipeline, in one place.
                            ch.pipeline().addLast("stamp-reply-decoder", decoder).addLast("stamp-sender", handler);
                        }
                    });
            ChannelFuture f = b.connect(target).awaitUninterruptibly();
            if (!f.isSuccess()) {
                Throwable cause = f.cause();
                String message = "cannot open STAMP sender to " + target + ": " + cause.getMessage();
                throw cause instanceof IOException io ? new UncheckedIOException(message, io) : new IllegalStateException(message, cause);
            }
            this.socket = null;
            this.nativeSendBuffer = null;
            this.channel = f.channel();
            this.timestamps = "user (" + why + ")";
            this.loop = channel.eventLoop();
        }
        this.sendLoop = new SendLoop(loop, opts.schedule(), opts.meanInterval().toNanos(), this::sendOne);
        long tickNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(5), Math.min(opts.timeout().toNanos() / 20, TimeUnit.MILLISECONDS.toNanos(100)));
        this.ticker = loop.scheduleAtFixedRate(this::tick, tickNanos, tickNanos, TimeUnit.NANOSECONDS);
    }

    private static boolean loopCall(EventLoop loop, java.util.function.BooleanSupplier call) {
        if (loop.inEventLoop()) {
            return call.getAsBoolean();
        }
        try {
            return loop.submit(call::getAsBoolean).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return false;
        }
    }

    /** Opens the socket (connected to {@code target}); nothing is sent until {@link #start} or {@link #runCount}. */
    public static StampSender open(EventLoopGroup group, InetSocketAddress target, SenderOptions opts) {
        return new StampSender(group, target, opts);
    }

    /** Probes continuously from now on; the first packet goes out at once. */
    public void start() {
        claim();
        loop.execute(() -> beginSending(-1));
    }

    /**
     * Sends exactly {@code count} packets on the schedule and completes, once every one of them is
     * decided (replied, or lost after the timeout), with the window holding them all. Anything
     * decided before the call is discarded. Fails if the sender is already probing or is closed.
     */
    public CompletionStage<LatencyWindow> runCount(int count, String targetName) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, got " + count);
        }
        claim();
        CompletableFuture<LatencyWindow> done = new CompletableFuture<>();
        loop.execute(() -> {
            session.swapWindow(System.currentTimeMillis());
            run = done;
            runTarget = targetName;
            beginSending(count);
        });
        return done;
    }

    /**
     * Changes the mean gap between packets, effective at once: the packet already scheduled is
     * re-drawn from the new mean (exponential gaps are memoryless, so this keeps the schedule Poisson).
     */
    public void setMeanInterval(Duration meanInterval) {
        SenderOptions.checkInterval(meanInterval);
        sendLoop.setMeanInterval(meanInterval.toNanos());
    }

    public Duration meanInterval() {
        return Duration.ofNanos(sendLoop.meanIntervalNanos());
    }

    /**
     * Everything decided since the previous drain (or since open), as a window named
     * {@code targetName}; the next window starts now.
     */
    public LatencyWindow drainWindow(String targetName) {
        if (loop.inEventLoop()) {
            return drainOnLoop(targetName);
        }
        try {
            return loop.submit(() -> drainOnLoop(targetName)).get();
        } catch (RejectedExecutionException e) {
            return drainOnLoop(targetName); // the event loop is gone: nothing else touches the state
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while draining the STAMP window", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("draining the STAMP window failed", e.getCause());
        }
    }

    /**
     * Calls {@code rttNanosListener} on the event loop with the RTT of every packet answered from now
     * on (e.g. to collect loaded RTTs during a throughput test without taking them from the window).
     * It must be quick and must not block.
     */
    public Registration addRttListener(LongConsumer rttNanosListener) {
        rttListeners.add(rttNanosListener);
        return () -> rttListeners.remove(rttNanosListener);
    }

    /**
     * Calls {@code listener} on the event loop with every packet answered in time from now on, in
     * order of arrival (duplicates and replies after the timeout are not passed on): the per-packet
     * view a call-shaped test needs for per-direction jitter, delay variation and loss runs. It must
     * be quick and must not block.
     */
    public Registration addAnswerListener(Consumer<AnsweredPacket> listener) {
        answerListeners.add(listener);
        return () -> answerListeners.remove(listener);
    }

    /**
     * Marks the packets sent from now on with this DiffServ code point (IPv4 TOS / IPv6 traffic
     * class, ECN bits clear), so that a site's QoS policy can be put to the test. The reflector's
     * replies carry whatever marking the reflector's own socket gives them.
     *
     * @throws IllegalStateException when the socket refuses the marking
     */
    public void setDscp(int dscp) {
        int trafficClass = Dscp.trafficClass(dscp);
        if (socket != null) {
            boolean set = loopCall(loop, () -> {
                try {
                    socket.setTos(trafficClass);
                    return true;
                } catch (IOException e) {
                    log.debug("cannot set TOS {} on the STAMP sender's socket: {}", trafficClass, e.toString());
                    return false;
                }
            });
            if (!set) {
                throw new IllegalStateException("this socket cannot mark packets with DSCP " + dscp);
            }
        } else if (!channel.config().setOption(ChannelOption.IP_TOS, trafficClass)) {
            throw new IllegalStateException("this socket cannot mark packets with DSCP " + dscp);
        }
    }

    /**
     * The DiffServ code point the latest reply arrived with (read from its IP header on the native
     * socket), or -1 where the socket cannot tell (the Netty path) or nothing came back yet: shows
     * whether the path re-marks what the reflector sends.
     */
    public int replyDscp() {
        int tos = replyTos;
        return tos < 0 ? -1 : tos >>> 2;
    }

    /**
     * Whether the event loop polls without sleeping around each expected reply (default true; see
     * {@link SpinWindow}). Off for a sender at a steady high rate, such as a call-shaped test, where
     * a window per packet would keep the loop spinning all the time for a gain (tens to hundreds of
     * microseconds) far under what it measures.
     */
    public void setSpinForReplies(boolean spin) {
        spinForReplies = spin;
    }

    /** Undoes an {@link #addRttListener}. */
    @FunctionalInterface
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    /** UDP payload bytes sent since open. */
    public long bytesSent() {
        return bytesSent;
    }

    /**
     * True once a reply showed that the reflector numbers packets itself (stateful), so the
     * forward/backward split is meaningful. Stays false with a stateless reflector, whose losses then
     * all show as backward; a stateful one on a path with no forward loss looks the same.
     */
    public boolean reflectorCountsOwnSequence() {
        return ownSequenceSeen;
    }

    /**
     * {@code kernel} when replies are read on the native socket with the kernel's receive
     * timestamps, else {@code user (why)}. Even on the native socket a single RTT falls back to
     * user space when a clock step makes its kernel time unusable ({@link #userRtts()}).
     */
    public String timestamps() {
        return timestamps;
    }

    /** Packets so far whose send time is the kernel's transmit timestamp. */
    public long txStamped() {
        return txStamped;
    }

    /** RTTs so far from the kernel's receive timestamp. */
    public long kernelRtts() {
        return kernelRtts;
    }

    /** RTTs so far measured in user space (the Netty path, or a kernel time a clock step spoilt). */
    public long userRtts() {
        return userRtts;
    }

    /**
     * Datagrams from the target too short to be a STAMP reply (under 38 bytes unauthenticated,
     * 112 authenticated): the peer answers, but not with STAMP. They are not counted as replies,
     * so their requests end up lost.
     */
    public long repliesTooShort() {
        return decoder.tooShort();
    }

    /** Datagrams from the target dropped as too long or with a bad HMAC. */
    public long repliesMalformed() {
        return decoder.malformed();
    }

    /**
     * Stops sending and closes the socket. Packets still in flight are left undecided (counted
     * nowhere); a pending {@link #runCount} fails with {@link CancellationException}. What was
     * decided before can still be drained.
     */
    @Override
    public void close() {
        closed = true;
        try {
            loop.execute(this::stopOnLoop);
        } catch (RejectedExecutionException e) {
            log.debug("event loop already shut down when closing the STAMP sender");
        }
        if (socket != null) {
            socket.close();
            nativeSendBuffer.release();
            return;
        }
        ChannelFuture f = channel.close();
        if (!loop.inEventLoop()) {
            f.awaitUninterruptibly();
        }
    }

    private void claim() {
        if (closed) {
            throw new IllegalStateException("STAMP sender is closed");
        }
        if (!busy.compareAndSet(false, true)) {
            throw new IllegalStateException("STAMP sender is already probing");
        }
    }

    private void beginSending(long count) {
        if (closed) {
            failRun(new CancellationException("STAMP sender closed"));
            return;
        }
        sendLoop.begin(count);
    }

    /**
     * T1 is read last, just before the packet is written; on the native path the packet then goes
     * to the kernel in the same call stack, with no pipeline or flush in between.
     */
    private void sendOne() {
        int size = opts.packetSize();
        ByteBuf buf = socket != null ? nativeSendBuffer.clear() : channel.alloc().ioBuffer(size);
        Instant t1 = Instant.now();
        long sentNanos = System.nanoTime();
        StampPacket.writeSender(buf, mode, session.nextSeq(), NtpTimestamp.fromInstant(t1), errorEstimate, opts.ssid(),
                size, filler, signer);
        session.sent(sentNanos, t1.getEpochSecond() * 1_000_000_000L + t1.getNano(), size);
        bytesSent += size; // single writer: this event loop
        if (socket != null) {
            long t1Epoch = t1.getEpochSecond() * 1_000_000_000L + t1.getNano();
            // A refused send (-2) is simply an unanswered packet: lost, as it is.
            long tx = socket.sendTimestamped(buf, null, t1Epoch);
            if (tx > 0) {
                session.transmittedLast(tx - t1Epoch, System.nanoTime());
            }
        } else {
            channel.writeAndFlush(buf, channel.voidPromise());
            awaitReply(sentNanos);
        }
    }

    /** A datagram on the native socket (its event loop). */
    private void onDatagram(ByteBuf data, NativeDatagramSocket.Received info) {
        if (info.truncated()) {
            data.writerIndex(data.capacity()); // longer than the largest packet: refused as malformed
        }
        StampReply reply = decoder.decode(data, info.readNanos(), info.readEpochNanos(), info.kernelEpochNanos());
        if (reply != null) {
            if (info.tos() != replyTos) {
                replyTos = info.tos(); // written when it changes, not per packet
            }
            onReply(reply);
        }
    }

    /**
     * Keeps this loop polling, without sleeping, around the moment the reply should arrive, so
     * that the loop's wake-up time does not end up in the RTT (see {@link SpinWindow}). The window
     * opens {@link #SPIN_LEAD_NANOS} before the smallest recent RTT and stays open at most
     * {@link #SPIN_MAX_NANOS} past it, or until a reply comes: at most ~1.3 ms of CPU per probe.
     */
    private void awaitReply(long sentNanos) {
        if (!spinForReplies) {
            return;
        }
        long expected = rtts.min();
        if (expected < 0 || expected <= SPIN_LEAD_NANOS) {
            SpinWindow.spinUntil(sentNanos + Math.max(expected, 0) + SPIN_MAX_NANOS);
        } else {
            loop.schedule(() -> SpinWindow.spinUntil(System.nanoTime() + SPIN_LEAD_NANOS + SPIN_MAX_NANOS),
                    sentNanos + expected - SPIN_LEAD_NANOS - System.nanoTime(), TimeUnit.NANOSECONDS);
        }
    }

    private void onReply(StampReply reply) {
        if (socket == null) {
            SpinWindow.stop();
        }
        long rtt = session.replied(reply.packet(), reply.receivedNanos(), reply.receivedEpochNanos(),
                reply.kernelEpochNanos(), reply.wantOneWay() ? reply::receivedNtp : null,
                opts.clock().synchronizedToUtc(), errorEstimate);
        kernelRtts = session.kernelRtts();
        txStamped = session.txStamped();
        userRtts = session.userRtts();
        if (rtt >= 0) {
            rtts.add(rtt);
            for (LongConsumer l : rttListeners) {
                try {
                    l.accept(rtt);
                } catch (RuntimeException e) { // someone else's bug must not stop our bookkeeping
                    log.warn("STAMP RTT listener failed", e);
                }
            }
            if (!answerListeners.isEmpty()) {
                tellAnswered(reply.packet(), rtt);
            }
        }
        ownSequenceSeen = session.reflectorCountsOwnSequence();
        completeRunIfDone();
    }

    private void tellAnswered(ReflectorPacket p, long rtt) {
        AnsweredPacket a = new AnsweredPacket(p.senderSeq(), p.seq(), rtt,
                NtpTimestamp.nanosBetween(p.senderTimestamp(), p.receiveTimestamp()));
        for (Consumer<AnsweredPacket> l : answerListeners) {
            try {
                l.accept(a);
            } catch (RuntimeException e) { // someone else's bug must not stop our bookkeeping
                log.warn("STAMP answer listener failed", e);
            }
        }
    }

    private void tick() {
        long grace = Math.max(opts.timeout().toNanos(), 2 * sendLoop.meanIntervalNanos());
        session.tick(System.nanoTime(), sendLoop.countReached(), grace);
        completeRunIfDone();
    }

    private void completeRunIfDone() {
        if (run != null && sendLoop.countReached() && session.allDecided()) {
            CompletableFuture<LatencyWindow> done = run;
            run = null;
            LatencyWindow w = drainOnLoop(runTarget);
            busy.set(false); // a later runCount may follow
            done.complete(w);
        }
    }

    private LatencyWindow drainOnLoop(String targetName) {
        long now = System.currentTimeMillis();
        return session.swapWindow(now).build(targetName, now, jitter);
    }

    private void stopOnLoop() {
        sendLoop.stop();
        ticker.cancel(false);
        failRun(new CancellationException("STAMP sender closed"));
    }

    private void failRun(Throwable cause) {
        if (run != null) {
            CompletableFuture<LatencyWindow> r = run;
            run = null;
            r.completeExceptionally(cause);
        }
    }
}
