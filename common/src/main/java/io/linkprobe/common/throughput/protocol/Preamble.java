package io.linkprobe.common.throughput.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * The first four bytes of every connection to the throughput port, so that control and data
 * connections share one port:
 *
 * <pre>
 * 'L' 'P' 'T' 'C'   (4C 50 54 43)  control connection; frames follow (ControlFramer)
 * 'L' 'P' 'T' 'D'   (4C 50 54 44)  data connection; the data header follows (DataHeader)
 * </pre>
 *
 * As a handler (client side, first in the control pipeline) it writes the control preamble when the
 * connection opens, straight to the socket so the framer does not length-prefix it, then leaves.
 */
public final class Preamble extends ChannelInboundHandlerAdapter {
    public static final int LENGTH = 4;
    public static final int CONTROL = 0x4C505443;
    public static final int DATA = 0x4C505444;

    Preamble() {}

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(control());
        ctx.pipeline().remove(this);
        ctx.fireChannelActive();
    }

    static ByteBuf control() {
        return Unpooled.buffer(LENGTH).writeInt(CONTROL);
    }
}
