package io.linkprobe.common.stamp;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands decoded replies to the sender's bookkeeping. Socket errors (an ICMP port unreachable comes
 * back as one on a connected UDP socket) are logged at debug and otherwise ignored: the packets concerned
 * simply time out as lost, which is what they are.
 */
final class SenderHandler extends SimpleChannelInboundHandler<StampReply> {
    private static final Logger log = LoggerFactory.getLogger(SenderHandler.class);
    private final Consumer<StampReply> replies;

    SenderHandler(Consumer<StampReply> replies) {
        super(StampReply.class);
        this.replies = replies;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, StampReply reply) {
        replies.accept(reply);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("STAMP sender socket error on {}: {}", ctx.channel(), cause.toString());
    }
}
