package io.linkprobe.common.throughput.measurement;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving end of one data connection: counts and discards. Each buffer is released as soon as
 * it is counted, so the receiver holds no data. The sender's FIN (after its last byte) ends the
 * stream; the receiver then closes, which tells the sender everything was read. Needs
 * {@code ALLOW_HALF_CLOSURE} so that a FIN (the end of the data) and a reset or cut can be told
 * apart.
 */
public final class ReceivingStream extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ReceivingStream.class);

    /** Told once, on this stream's event loop, when the connection is gone. */
    public interface Listener {
        void receivingEnded(ReceivingStream stream, boolean sawEndOfData);
    }

    private final GoodputCounter counter;
    private final Listener listener;
    private boolean sawEndOfData;

    public ReceivingStream(GoodputCounter counter, Listener listener) {
        this.counter = counter;
        this.listener = listener;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            int n = buf.readableBytes();
            buf.release();
            counter.add(n);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            sawEndOfData = true;
            ctx.close();
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        listener.receivingEnded(this, sawEndOfData);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("data connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
