package io.linkprobe.common.throughput.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/** Decodes a data connection's {@link DataHeader} (after the preamble), then leaves the pipeline. */
final class DataHeaderDecoder extends ByteToMessageDecoder {
    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < DataHeader.LENGTH) {
            return;
        }
        out.add(DataHeader.read(in));
        ctx.pipeline().remove(this);
    }
}
