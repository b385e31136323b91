package io.linkprobe.common.throughput.measurement;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sending end of one data connection. It writes one shared, pre-filled random buffer again and
 * again as {@code retainedDuplicate()}s — no copy, no allocation beyond a small derived-buffer
 * object — and writes the next one from the previous write's future, so exactly one write is queued
 * in Netty and the kernel socket buffer is the only queue (no user-space bloat to drain at the end).
 *
 * <p>The byte budget is shared by the test's streams. When stopped or out of budget, the stream
 * lets its last write finish and shuts its output (FIN). The receiver closes once it has read
 * everything; that (input shutdown, thanks to {@code ALLOW_HALF_CLOSURE}) is when TCP_INFO is read:
 * all data has been acknowledged, so retransmits cover the whole transfer.
 */
public final class SendingStream extends ChannelInboundHandlerAdapter implements ChannelFutureListener {
    private static final Logger log = LoggerFactory.getLogger(SendingStream.class);

    /** Told once, on this stream's event loop, when the connection is gone. */
    public interface Listener {
        void sendingEnded(SendingStream stream, boolean peerReadAll);

        void budgetExhausted();
    }

    private final Channel channel;
    private final ByteBuf payload;
    private final AtomicLong budget;
    private final Listener listener;
    private ChannelHandlerContext ctx;
    private boolean writing;
    private boolean stopping;
    private boolean outputShut;
    private boolean peerReadAll;
    private int inFlightBytes;
    private volatile long bytesSent;
    private volatile TcpStats tcp;

    /**
     * @param channel the data connection this handler will be added to
     * @param payload shared; this stream takes duplicates and never releases the original
     */
    public SendingStream(Channel channel, ByteBuf payload, AtomicLong budget, Listener listener) {
        this.channel = channel;
        this.payload = payload;
        this.budget = budget;
        this.listener = listener;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Starts the load; any thread, after the handler was added to the pipeline. Tasks go through
     * the channel's event loop, where Netty has queued {@link #handlerAdded} before them.
     */
    public void start() {
        channel.eventLoop().execute(() -> {
            tcp = TcpStats.sample(ctx.channel());
            if (!writing && !stopping) {
                writing = true;
                writeNext();
            }
        });
    }

    /** No more writes; the stream shuts its output once the write in flight is done. Any thread. */
    public void stop() {
        channel.eventLoop().execute(() -> {
            stopping = true;
            if (!writing) {
                shutOutput();
            }
        });
    }

    /** Closes now, whatever is in flight (a cut); reads TCP_INFO first. Any thread. */
    public void abort() {
        channel.eventLoop().execute(() -> {
            stopping = true;
            tcp = TcpStats.later(tcp, TcpStats.sample(ctx.channel()));
            ctx.close();
        });
    }

    public long bytesSent() {
        return bytesSent;
    }

    /** Lowest RTT seen and the counters at the end; null on NIO. */
    public TcpStats tcp() {
        return tcp;
    }

    private void writeNext() {
        if (stopping || !ctx.channel().isActive()) {
            writing = false;
            shutOutput();
            return;
        }
        int n = (int) claim(budget, payload.capacity());
        if (n == 0) {
            writing = false;
            listener.budgetExhausted();
            shutOutput();
            return;
        }
        inFlightBytes = n;
        ByteBuf chunk = n == payload.capacity() ? payload.retainedDuplicate() : payload.retainedSlice(0, n);
        ctx.writeAndFlush(chunk).addListener(this);
    }

    @Override
    public void operationComplete(ChannelFuture future) {
        if (future.isSuccess()) {
            bytesSent += inFlightBytes;
            writeNext();
        } else {
            writing = false;
            log.debug("write on {} failed: {}", ctx.channel().remoteAddress(), future.cause().toString());
            tcp = TcpStats.later(tcp, TcpStats.sample(ctx.channel()));
            ctx.close();
        }
    }

    private void shutOutput() {
        if (!outputShut && ctx.channel().isActive()) {
            outputShut = true;
            ((DuplexChannel) ctx.channel()).shutdownOutput();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            // The receiver closed: after our FIN it has read everything; before it, it gave up.
            peerReadAll = outputShut && !writing;
            tcp = TcpStats.later(tcp, TcpStats.sample(ctx.channel()));
            ctx.close();
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        listener.sendingEnded(this, peerReadAll);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("data connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        tcp = TcpStats.later(tcp, TcpStats.sample(ctx.channel()));
        ctx.close();
    }

    /** Takes up to {@code max} bytes from the shared budget. */
    static long claim(AtomicLong budget, long max) {
        while (true) {
            long left = budget.get();
            long take = Math.min(left, max);
            if (take <= 0 || budget.compareAndSet(left, left - take)) {
                return Math.max(0, take);
            }
        }
    }
}
