package io.linkprobe.common.stamp;

import io.netty.buffer.ByteBuf;

/**
 * Encoding and decoding of STAMP test packets on Netty buffers, byte for byte as RFC 8762 lays them
 * out (offsets in {@link StampMode}), so that router TWAMP-Light/STAMP reflectors interoperate and
 * {@code tshark -d udp.port==P,twamp.test} decodes them. All fields are big-endian. Reads use
 * absolute indices from the reader index and leave the buffer's indices alone.
 *
 * <p>Padding. A sender packet longer than the base is padded with one RFC 8972 §4.1 Extra Padding
 * TLV (flags 0, type 1, 16-bit value length, then filler): RFC 8972 reflectors parse what follows
 * the base as TLVs, and plain RFC 8762 or TWAMP-Light reflectors treat the same bytes as padding.
 * Packets 1-3 bytes over the base, too short for a TLV header, are padded with zeros.
 *
 * <p>The reflector answers in place ({@link #reflectInPlace}): it reads the sender's fields, then
 * overwrites the base with its own packet, leaving the padding as received, so a reply is exactly
 * as long as its request and no second buffer is needed.
 */
public final class StampPacket {
    /** The largest packet accepted or sent: a jumbo frame's UDP payload. */
    public static final int MAX_SIZE = 9000;
    static final int TLV_HEADER_SIZE = 4;
    static final int EXTRA_PADDING_TLV = 1;

    private StampPacket() {}

    /**
     * Writes a Session-Sender packet of {@code size} bytes.
     *
     * @param filler padding value bytes (at least {@code size - baseSize} long), or null for zeros
     * @param signer required in {@link StampMode#AUTHENTICATED} mode, ignored otherwise
     */
    public static void writeSender(ByteBuf out, StampMode mode, long seq, long timestamp, int errorEstimate,
            int ssid, int size, byte[] filler, StampAuth.Signer signer) {
        if (size < mode.baseSize || size > MAX_SIZE) {
            throw new IllegalArgumentException("packet size " + size + " outside " + mode.baseSize + ".." + MAX_SIZE);
        }
        int start = out.writerIndex();
        out.writeZero(mode.baseSize);
        out.setInt(start + mode.seq, (int) seq);
        out.setLong(start + mode.timestamp, timestamp);
        out.setShort(start + mode.errorEstimate, errorEstimate);
        out.setShort(start + mode.ssid, ssid);
        writePadding(out, size - mode.baseSize, filler);
        if (mode == StampMode.AUTHENTICATED) {
            signer.sign(out, start);
        }
    }

    private static void writePadding(ByteBuf out, int padding, byte[] filler) {
        if (padding < TLV_HEADER_SIZE) {
            out.writeZero(padding);
            return;
        }
        int valueLength = padding - TLV_HEADER_SIZE;
        out.writeByte(0); // STAMP TLV Flags: U, M, I all clear, as a sender sets them
        out.writeByte(EXTRA_PADDING_TLV);
        out.writeShort(valueLength);
        if (filler == null) {
            out.writeZero(valueLength);
        } else {
            out.writeBytes(filler, 0, valueLength);
        }
    }

    /** Decodes a Session-Sender packet; the caller has checked the length. */
    public static SenderPacket readSender(StampMode mode, ByteBuf in) {
        int i = in.readerIndex();
        return new SenderPacket(
                in.getUnsignedInt(i + mode.seq),
                in.getLong(i + mode.timestamp),
                in.getUnsignedShort(i + mode.errorEstimate),
                in.getUnsignedShort(i + mode.ssid),
                in.readableBytes());
    }

    /**
     * Decodes a Session-Reflector packet; the caller has checked that it is at least
     * {@link StampMode#minReplySize()} long. A reply too short to hold the Ses-Sender TTL reads 0.
     */
    public static ReflectorPacket readReflector(StampMode mode, ByteBuf in) {
        int i = in.readerIndex();
        int ttl = in.readableBytes() > mode.senderTtl ? in.getUnsignedByte(i + mode.senderTtl) : 0;
        return new ReflectorPacket(
                in.getUnsignedInt(i + mode.seq),
                in.getLong(i + mode.timestamp),
                in.getUnsignedShort(i + mode.errorEstimate),
                in.getUnsignedShort(i + mode.ssid),
                in.getLong(i + mode.receiveTimestamp),
                in.getUnsignedInt(i + mode.senderSeq),
                in.getLong(i + mode.senderTimestamp),
                in.getUnsignedShort(i + mode.senderErrorEstimate),
                ttl,
                in.readableBytes());
    }

    /** Writes a Session-Reflector packet of {@code p.length()} bytes, zero-padded. */
    public static void writeReflector(ByteBuf out, StampMode mode, ReflectorPacket p, StampAuth.Signer signer) {
        if (p.length() < mode.baseSize || p.length() > MAX_SIZE) {
            throw new IllegalArgumentException("packet size " + p.length() + " outside " + mode.baseSize + ".." + MAX_SIZE);
        }
        int start = out.writerIndex();
        out.writeZero(p.length());
        setReflectorFields(out, start, mode, p.seq(), p.timestamp(), p.errorEstimate(), p.ssid(),
                p.receiveTimestamp(), p.senderSeq(), p.senderTimestamp(), p.senderErrorEstimate(), p.senderTtl());
        if (mode == StampMode.AUTHENTICATED) {
            signer.sign(out, start);
        }
    }

    /** The SSID of a packet of either direction. */
    public static int ssid(StampMode mode, ByteBuf in) {
        return in.getUnsignedShort(in.readerIndex() + mode.ssid);
    }

    /**
     * Turns a received Session-Sender packet into the Session-Reflector's reply, in the same buffer:
     * at the same length, or, for a request shorter than the base packet (a TWAMP-Light sender's 14
     * bytes, RFC 8762 §4.6), as the base packet with what the request did not carry (its SSID) zero.
     * The buffer must then have room for the base packet. The caller verifies a request's HMAC
     * before and signs after.
     *
     * @param ttl the request's IP TTL, 0 when unknown
     */
    public static void reflectInPlace(ByteBuf buf, StampMode mode, long reflectorSeq, long receiveTimestamp,
            long transmitTimestamp, int errorEstimate, int ttl) {
        int i = buf.readerIndex();
        int length = buf.readableBytes();
        long senderSeq = buf.getUnsignedInt(i + mode.seq);
        long senderTimestamp = buf.getLong(i + mode.timestamp);
        int senderError = buf.getUnsignedShort(i + mode.errorEstimate);
        int ssid = length >= mode.ssid + 2 ? buf.getUnsignedShort(i + mode.ssid) : 0;
        if (length < mode.baseSize) {
            // Grow within maxCapacity (the caller checked it): the capacity can be just the request's
            // length, and writerIndex alone would throw (found by fuzzing ReflectorHandler).
            buf.ensureWritable(i + mode.baseSize - buf.writerIndex());
            buf.writerIndex(i + mode.baseSize);
        }
        buf.setZero(i, mode.baseSize); // the request's MBZ bytes are not trusted to be zero
        setReflectorFields(buf, i, mode, reflectorSeq, transmitTimestamp, errorEstimate, ssid,
                receiveTimestamp, senderSeq, senderTimestamp, senderError, ttl);
    }

    private static void setReflectorFields(ByteBuf b, int i, StampMode mode, long seq, long timestamp,
            int errorEstimate, int ssid, long receiveTimestamp, long senderSeq, long senderTimestamp,
            int senderErrorEstimate, int ttl) {
        b.setInt(i + mode.seq, (int) seq);
        b.setLong(i + mode.timestamp, timestamp);
        b.setShort(i + mode.errorEstimate, errorEstimate);
        b.setShort(i + mode.ssid, ssid);
        b.setLong(i + mode.receiveTimestamp, receiveTimestamp);
        b.setInt(i + mode.senderSeq, (int) senderSeq);
        b.setLong(i + mode.senderTimestamp, senderTimestamp);
        b.setShort(i + mode.senderErrorEstimate, senderErrorEstimate);
        b.setByte(i + mode.senderTtl, ttl);
    }
}
