package io.linkprobe.common.throughput.server;

import io.linkprobe.common.throughput.protocol.ControlMessage;
import io.linkprobe.common.throughput.protocol.DataHeader;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a data connection to the accepted test its header names, or closes it. Reading pauses until
 * the test has installed the stream handler in this handler's place.
 */
final class DataAttachHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(DataAttachHandler.class);

    private final ThroughputServer server;
    private boolean attached;

    DataAttachHandler(ThroughputServer server) {
        this.server = server;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DataHeader header)) {
            // Bytes before the load starts are not part of any measurement.
            ReferenceCountUtil.release(msg);
            return;
        }
        ServerSession test = server.test(header.testId());
        if (attached || header.version() != ControlMessage.VERSION || test == null) {
            log.debug("closing data connection {}: no accepted test {}", ctx.channel().remoteAddress(),
                    header.testId());
            ctx.close();
            return;
        }
        attached = true;
        ctx.channel().config().setAutoRead(false);
        test.attach(header.streamIndex(), ctx.channel());
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent && !attached) {
            ctx.close();
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("data connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
