package io.linkprobe.common.throughput.client;

import io.linkprobe.common.throughput.protocol.ControlMessage;
import io.linkprobe.common.throughput.protocol.ControlMessage.Status;
import io.linkprobe.common.throughput.protocol.ControlMessage.StatusQuery;
import io.linkprobe.common.throughput.protocol.ServerStatus;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/** Client side of a STATUS query: ask once, complete with the answer, close. */
final class StatusQueryHandler extends SimpleChannelInboundHandler<ControlMessage> {
    private final CompletableFuture<ServerStatus> answer;

    StatusQueryHandler(CompletableFuture<ServerStatus> answer) {
        this.answer = answer;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(new StatusQuery());
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ControlMessage msg) {
        if (msg instanceof Status s) {
            answer.complete(new ServerStatus(s.runningTests(), s.queueLength(), s.maxConcurrentTests()));
        } else {
            answer.completeExceptionally(new IOException("unexpected answer to a status query: " + msg));
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        answer.completeExceptionally(new IOException("the responder closed the connection without a status"));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        answer.completeExceptionally(cause);
        ctx.close();
    }
}
