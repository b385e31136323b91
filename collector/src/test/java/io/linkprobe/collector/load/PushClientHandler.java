package io.linkprobe.collector.load;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpResponse;

/** The stateful end of an agent's connection: hands responses and closes to its {@link SimAgent}. */
final class PushClientHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
    private final SimAgent agent;

    PushClientHandler(SimAgent agent) {
        this.agent = agent;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
        agent.onResponse(ctx.channel(), response);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        agent.onClosed(ctx.channel());
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A reset or a broken pipe: the close that follows tells the agent.
        ctx.close();
    }
}
