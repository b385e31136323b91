package io.linkprobe.common.throughput.server;

import io.linkprobe.common.throughput.protocol.Preamble;
import io.linkprobe.common.throughput.protocol.ThroughputPipelines;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a connection's {@link Preamble} and builds the control or the data pipeline after itself,
 * then leaves; bytes read past the preamble go on to the new handlers.
 */
final class ConnectionSniffer extends ByteToMessageDecoder {
    private static final Logger log = LoggerFactory.getLogger(ConnectionSniffer.class);

    private final ThroughputServer server;

    ConnectionSniffer(ThroughputServer server) {
        this.server = server;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < Preamble.LENGTH) {
            return;
        }
        int magic = in.readInt();
        if (magic == Preamble.CONTROL) {
            ThroughputPipelines.serverControl(ctx.pipeline(), new ServerControlHandler(server));
        } else if (magic == Preamble.DATA) {
            ThroughputPipelines.serverData(ctx.pipeline(), new DataAttachHandler(server));
        } else {
            log.debug("closing {}: not a linkprobe throughput connection", ctx.channel().remoteAddress());
            in.skipBytes(in.readableBytes());
            ctx.close();
            return;
        }
        ctx.pipeline().remove(this);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            ctx.close();
        }
        super.userEventTriggered(ctx, evt);
    }
}
