package io.linkprobe.common.stamp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.time.Instant;
import java.util.List;

/**
 * Datagram to {@link StampReply}: takes the arrival time first (before anything else can delay
 * it), checks the length and, in authenticated mode, the HMAC. Anything else is dropped and counted:
 * as too short (under {@link StampMode#minReplySize()}: a peer that answers, but not with STAMP), or
 * as malformed (too long, bad HMAC). Used by the Netty path as a pipeline stage and by the native
 * path through {@link #decode} directly.
 */
final class ReplyDecoder extends MessageToMessageDecoder<DatagramPacket> {
    private final StampMode mode;
    private final StampAuth.Signer signer;
    private final boolean wallClockArrival;
    private volatile long tooShort;
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
        Instant wall = Instant.now();
        StampReply r = decode(msg.content(), receivedNanos, wall.getEpochSecond() * 1_000_000_000L + wall.getNano(), -1);
        if (r != null) {
            out.add(r);
        }
    }

    /** The reply in {@code buf}, or null when it is not one (counted). Single caller thread. */
    StampReply decode(ByteBuf buf, long receivedNanos, long receivedEpochNanos, long kernelEpochNanos) {
        int length = buf.readableBytes();
        if (length < mode.minReplySize()) {
            tooShort++;
            return null;
        }
        if (length > StampPacket.MAX_SIZE || (signer != null && !signer.verify(buf, buf.readerIndex()))) {
            malformed++;
            return null;
        }
        return new StampReply(StampPacket.readReflector(mode, buf), receivedNanos, receivedEpochNanos, kernelEpochNanos,
                wallClockArrival);
    }

    /** Replies dropped as shorter than {@link StampMode#minReplySize()}. */
    long tooShort() {
        return tooShort;
    }

    /** Replies dropped as too long or with a bad HMAC. */
    long malformed() {
        return malformed;
    }
}
