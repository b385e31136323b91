package io.linkprobe.common.throughput.server;

import io.linkprobe.common.throughput.measurement.GoodputCounter;
import io.linkprobe.common.throughput.measurement.IntervalTicker;
import io.linkprobe.common.throughput.measurement.ReceivingStream;
import io.linkprobe.common.throughput.measurement.SendingStream;
import io.linkprobe.common.throughput.measurement.TcpStats;
import io.linkprobe.common.throughput.protocol.ControlMessage.Accept;
import io.linkprobe.common.throughput.protocol.ControlMessage.Hello;
import io.linkprobe.common.throughput.protocol.ControlMessage.Report;
import io.linkprobe.common.throughput.protocol.ControlMessage.Result;
import io.linkprobe.common.throughput.protocol.ControlMessage.Start;
import io.linkprobe.common.throughput.protocol.DataHeader;
import io.linkprobe.common.throughput.protocol.Direction;
import io.linkprobe.common.throughput.protocol.StopReason;
import io.linkprobe.common.throughput.protocol.TestId;
import io.linkprobe.common.throughput.protocol.ThroughputPipelines;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One accepted test on the server, confined to its control connection's event loop.
 *
 * <p>Sequence: ACCEPT → the client's N data connections attach (within
 * {@value DataHeader#ATTACH_TIMEOUT_MILLIS} ms, else the test ends "streams missing") → START → load → the
 * load ends (client's STOP, the granted duration or bytes) → the sender's FIN on every stream, the
 * receiver closes → RESULT → the server closes the control connection.
 *
 * <p>Download: the server sends, and itself stops at the granted duration and bytes. Upload: the
 * server receives, REPORTs each interval, and cuts the data connections of a client that sends more
 * than the granted bytes. Either way every connection is closed by
 * {@value #DRAIN_GRACE_MILLIS} ms after the granted duration, whatever the client does.
 */
final class ServerSession implements SendingStream.Listener, ReceivingStream.Listener {
    private static final Logger log = LoggerFactory.getLogger(ServerSession.class);
    static final long DRAIN_GRACE_MILLIS = 3_000;
    /** How long the client may take to close the control connection after RESULT. */
    static final long RESULT_LINGER_MILLIS = 2_000;

    private enum State { ATTACHING, RUNNING, STOPPING, FINISHED }

    private final ThroughputServer server;
    private final Channel control;
    private final EventLoop loop;
    private final Hello hello;
    private final Accept grant;
    private final Admission.Slot slot;
    private final Channel[] data;
    private final List<SendingStream> senders = new ArrayList<>();
    private final AtomicLong budget = new AtomicLong();
    private final List<ScheduledFuture<?>> timers = new ArrayList<>();
    private final GoodputCounter received;
    private final IntervalTicker ticker;
    private State state = State.ATTACHING;
    private int attached;
    private int ended;
    private StopReason reason;
    private long startNanos;

    ServerSession(ThroughputServer server, Channel control, Hello hello, Accept grant, Admission.Slot slot) {
        this.server = server;
        this.control = control;
        this.loop = control.eventLoop();
        this.hello = hello;
        this.grant = grant;
        this.slot = slot;
        this.data = new Channel[hello.streams()];
        this.received = new GoodputCounter(grant.grantedBytes(),
                () -> loop.execute(this::firstByte), () -> loop.execute(() -> cut(StopReason.BYTES_LIMIT)));
        this.ticker = new IntervalTicker(loop, received, grant.intervalMillis(), this::report);
    }

    TestId id() {
        return hello.testId();
    }

    /** Called just before ACCEPT is written: data connections may attach from now on. */
    void begin() {
        server.register(this);
        schedule(DataHeader.ATTACH_TIMEOUT_MILLIS, () -> {
            if (state == State.ATTACHING) {
                cut(StopReason.STREAMS_MISSING);
            }
        });
    }

    /** A data connection named this test; any thread. */
    void attach(int index, Channel ch) {
        loop.execute(() -> {
            if (state != State.ATTACHING || index >= data.length || data[index] != null) {
                ch.close();
                return;
            }
            data[index] = ch;
            if (hello.direction() == Direction.DOWN) {
                SendingStream s = new SendingStream(ch, server.payload(), budget, this);
                senders.add(s);
                ThroughputPipelines.serverStream(ch, s);
            } else {
                ThroughputPipelines.serverStream(ch, new ReceivingStream(received, this));
            }
            if (++attached == data.length) {
                start();
            }
        });
    }

    private void start() {
        state = State.RUNNING;
        startNanos = System.nanoTime();
        control.writeAndFlush(new Start());
        schedule(grant.grantedDurationMillis() + DRAIN_GRACE_MILLIS, () -> cut(StopReason.DURATION_LIMIT));
        if (hello.direction() == Direction.DOWN) {
            budget.set(grant.grantedBytes());
            schedule(grant.grantedDurationMillis(), () -> stopLoad(StopReason.DURATION_LIMIT));
            senders.forEach(SendingStream::start);
        }
    }

    private void firstByte() {
        if (state == State.RUNNING || state == State.STOPPING) {
            ticker.start();
        }
    }

    private void report(int index, long bytes, long elapsedNanos) {
        control.writeAndFlush(new Report(index, bytes, elapsedNanos / 1000));
    }

    void clientStop(StopReason why) {
        stopLoad(why);
    }

    /** Ends the load gracefully: senders finish their write and send FIN. */
    private void stopLoad(StopReason why) {
        if (state != State.RUNNING) {
            return;
        }
        state = State.STOPPING;
        reason = why;
        senders.forEach(SendingStream::stop);
    }

    @Override
    public void budgetExhausted() {
        loop.execute(() -> stopLoad(StopReason.BYTES_LIMIT));
    }

    @Override
    public void sendingEnded(SendingStream stream, boolean peerReadAll) {
        loop.execute(() -> streamEnded(peerReadAll));
    }

    @Override
    public void receivingEnded(ReceivingStream stream, boolean sawEndOfData) {
        loop.execute(() -> streamEnded(sawEndOfData));
    }

    private void streamEnded(boolean cleanly) {
        ended++;
        if (cleanly && reason == null && hello.direction() == Direction.UP) {
            // The client's FINs can overtake its STOP (different connections): it has finished.
            reason = StopReason.SENDER_FINISHED;
        }
        if (state == State.ATTACHING || (state == State.RUNNING && !cleanly)) {
            cut(StopReason.CONNECTION_LOST);
        }
        if (ended == attached && state != State.FINISHED && state != State.ATTACHING) {
            finish();
        }
    }

    /** Closes every data connection now, and ends the test. */
    private void cut(StopReason why) {
        if (state == State.FINISHED) {
            return;
        }
        if (reason == null) {
            reason = why;
        }
        log.info("test {}: cutting data connections ({})", id(), why.text());
        senders.forEach(SendingStream::abort);
        for (Channel ch : data) {
            if (ch != null) {
                ch.close();
            }
        }
        finish();
    }

    private void finish() {
        state = State.FINISHED;
        timers.forEach(t -> t.cancel(false));
        ticker.stop();
        boolean down = hello.direction() == Direction.DOWN;
        long bytes = down ? senders.stream().mapToLong(SendingStream::bytesSent).sum() : received.total();
        long micros = down ? (System.nanoTime() - startNanos) / 1000 : (long) (received.seconds() * 1e6);
        TcpStats tcp = down ? TcpStats.combine(senders.stream().map(SendingStream::tcp).toList()) : null;
        StopReason why = reason == null ? StopReason.CONNECTION_LOST : reason;
        log.info("test {} {} ended ({}): {} bytes", id(), hello.direction().wireName(), why.text(), bytes);
        control.writeAndFlush(new Result(why, bytes, startNanos == 0 ? 0 : micros, tcp))
                .addListener((ChannelFutureListener) f -> closeAfterResult(f.channel()));
        release();
        server.served(new ServedSession(id().toString(), hello.keyId(), String.valueOf(control.remoteAddress()),
                hello.direction(), hello.streams(), why.text(), bytes, startNanos == 0 ? 0 : micros / 1e6));
    }

    /**
     * Half-closes the control connection after RESULT and lets the client close it. A full close
     * here raced the client's STOP: a STOP arriving at a closed socket draws a reset, and a reset
     * makes the client's kernel discard the unread RESULT (the test then failed with "connection
     * reset" although it had finished). The client closes on RESULT; if it does not within
     * {@value #RESULT_LINGER_MILLIS} ms, the server closes anyway.
     */
    private static void closeAfterResult(Channel ch) {
        if (ch instanceof DuplexChannel duplex && ch.isActive()) {
            duplex.shutdownOutput();
            ch.eventLoop().schedule(() -> {
                ch.close();
            }, RESULT_LINGER_MILLIS, TimeUnit.MILLISECONDS);
        } else {
            ch.close();
        }
    }

    /** The control connection went away: nobody to report to, so stop everything. */
    void controlLost() {
        loop.execute(() -> {
            if (state != State.FINISHED) {
                cut(StopReason.CONNECTION_LOST);
            }
        });
    }

    /** The server is closing. */
    void abort() {
        loop.execute(() -> cut(StopReason.SERVER_CLOSING));
    }

    private void release() {
        server.admission().release(slot);
        server.unregister(this);
    }

    private void schedule(long delayMillis, Runnable task) {
        timers.add(loop.schedule(task, delayMillis, TimeUnit.MILLISECONDS));
    }
}
