package io.linkprobe.common.stamp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.channel.socket.DatagramPacket;
import java.util.List;

/**
 * Datagram to {@link StampReply}: takes the arrival time first (before anything else can delay
 * it), checks the length and, in authenticated mode, the HMAC. Anything else is dropped and counted.
 */
final class ReplyDecoder extends MessageToMessageDecoder<DatagramPacket> {
    private final StampMode mode;
    private final StampAuth.Signer signer;
    private final boolean wallClockArrival;
    private volatile long malformed;

    ReplyDecoder(StampMode mode, StampAuth auth, boolean wallClockArrival) {
        super(DatagramPacket.class);
        this.mode = mode;
        this.signer = auth == null ? null : auth.newSigner();
        this.wallClockArrival = wallClockArrival;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, DatagramPacket msg, List<Object> out) {
        long receivedNanos = System.nanoTime();
        long receivedNtp = wallClockArrival ? NtpTimestamp.now() : 0;
        ByteBuf buf = msg.content();
        int length = buf.readableBytes();
        if (length < mode.minReplySize() || length > StampPacket.MAX_SIZE
                || (signer != null && !signer.verify(buf, buf.readerIndex()))) {
            malformed++; // single writer: the channel's event loop
            return;
        }
        out.add(new StampReply(StampPacket.readReflector(mode, buf), receivedNanos, receivedNtp));
    }

    long malformed() {
        return malformed;
    }
}
