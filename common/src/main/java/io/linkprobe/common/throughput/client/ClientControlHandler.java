package io.linkprobe.common.throughput.client;

import io.linkprobe.common.throughput.protocol.ControlMessage;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;

/**
 * The client end of one control connection: sends the HELLO when connected and passes every answer
 * and connection event to the direction's {@link ClientSession}, which holds the state.
 */
final class ClientControlHandler extends SimpleChannelInboundHandler<ControlMessage> {
    private final ClientSession test;

    ClientControlHandler(ClientSession test) {
        this.test = test;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        test.controlChannel(ctx.channel());
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(test.hello());
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ControlMessage msg) {
        test.received(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        test.controlClosed();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        test.fail("control connection failed: " + cause.getMessage());
        ctx.close();
    }
}
