package io.linkprobe.common.stamp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.common.net.Transports;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Byte-level STAMP conformance, request and reply built byte by byte as RFC 8762 §4.2-4.3 (with
 * RFC 8972's SSID and TLVs) and RFC 5357's TWAMP-Light lay them out, not with our own encoder: the
 * reflector (Netty path through {@link EmbeddedChannel}, and the real socket over loopback, native
 * where this machine has it) and the sender's reply decoder, at sizes 14, 41, 43, 44, 45, 100, 114.
 */
class StampConformanceTest {
    static final int SEQ = 0x01020304;
    static final long T1 = StampPacketTest.T1;
    static final int SENDER_ERROR = 0x12A4;
    static final int SSID = 0xBEEF;
    static final InetSocketAddress SELF = new InetSocketAddress("127.0.0.1", 862);
    static final InetSocketAddress PEER = new InetSocketAddress("198.18.0.1", 20000);
    static EventLoopGroup group;

    @BeforeAll
    static void startGroup() {
        group = Transports.group(1, "stamp-conformance");
    }

    @AfterAll
    static void stopGroup() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /**
     * An unauthenticated Session-Sender packet of {@code size} bytes: 14 is TWAMP-Light's bare
     * request (sequence, timestamp, error estimate); from 16 on the SSID follows; beyond 44, an
     * RFC 8972 Extra Padding TLV where it fits (flags 0, type 1, length), else zero bytes.
     */
    static byte[] unauthenticatedRequest(int size) {
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putInt(SEQ).putLong(T1).putShort((short) SENDER_ERROR);
        if (size >= 16) {
            b.putShort((short) SSID);
        }
        if (size >= 48) {
            b.position(44);
            b.put((byte) 0).put((byte) 1).putShort((short) (size - 48));
            for (int i = 48; i < size; i++) {
                b.put((byte) (i * 7));
            }
        }
        return b.array();
    }

    @ParameterizedTest(name = "{0}-byte request")
    @ValueSource(ints = {14, 41, 43, 44, 45, 100, 114})
    void theReflectorAnswersEveryUnauthenticatedSizeFrom14BytesWithTheRfcLayout(int size) {
        ReflectorHandler handler = new ReflectorHandler(ReflectorOptions.defaults());
        EmbeddedChannel ch = new EmbeddedChannel(handler);
        byte[] request = unauthenticatedRequest(size);
        long before = NtpTimestamp.now();
        ch.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(request), SELF, PEER));
        DatagramPacket reply = ch.readOutbound();
        long after = NtpTimestamp.now();
        try {
            assertEquals(PEER, reply.recipient());
            checkUnauthenticatedReply(request, bytes(reply.content()), before, after, 0);
        } finally {
            reply.release();
        }
        assertEquals(1, handler.reflected());
        assertFalse(ch.finishAndReleaseAll());
    }

    @ParameterizedTest(name = "{0}-byte request over loopback")
    @ValueSource(ints = {14, 41, 43, 44, 45, 100, 114})
    void theRealReflectorSocketAnswersTheSameAndReportsTheTtl(int size) throws Exception {
        try (StampReflector reflector = StampReflector.start(group, new InetSocketAddress("127.0.0.1", 0), ReflectorOptions.defaults());
                DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            socket.setSoTimeout(5_000);
            byte[] request = unauthenticatedRequest(size);
            long before = NtpTimestamp.now();
            socket.send(new java.net.DatagramPacket(request, size, reflector.localAddress()));
            java.net.DatagramPacket reply = new java.net.DatagramPacket(new byte[200], 200);
            socket.receive(reply);
            long after = NtpTimestamp.now();
            // A Linux sender's default TTL is 64; the Netty fallback cannot read it and says 0.
            int ttl = reflector.timestamps().equals("kernel") ? 64 : 0;
            checkUnauthenticatedReply(request, Arrays.copyOf(reply.getData(), reply.getLength()), before, after, ttl);
        }
    }

    private static void checkUnauthenticatedReply(byte[] request, byte[] reply, long before, long after, int ttl) {
        int size = request.length;
        assertEquals(Math.max(44, size), reply.length, "a request under 44 bytes gets the 44-byte base packet (RFC 8762 §4.6)");
        ByteBuffer r = ByteBuffer.wrap(reply);
        assertEquals(0, r.getInt(0), "the reflector's own sequence number: a new session starts at 0");
        long t3 = r.getLong(4);
        assertTrue(Long.compareUnsigned(before, t3) <= 0 && Long.compareUnsigned(t3, after) <= 0, "T3 now");
        assertEquals(ClockSync.UNSYNCHRONIZED.encode(), r.getShort(12) & 0xFFFF, "the reflector's error estimate");
        assertEquals(size >= 16 ? SSID : 0, r.getShort(14) & 0xFFFF, "SSID copied, zero when the request had none");
        long t2 = r.getLong(16);
        assertTrue(Long.compareUnsigned(t2, t3) <= 0 && t2 != 0, "T2 before T3");
        assertEquals(SEQ, r.getInt(24), "Session-Sender sequence number");
        assertEquals(T1, r.getLong(28), "Session-Sender timestamp");
        assertEquals(SENDER_ERROR, r.getShort(36) & 0xFFFF, "Session-Sender error estimate");
        assertEquals(0, r.getShort(38), "MBZ");
        assertEquals(ttl, reply[40] & 0xFF, "Ses-Sender TTL");
        assertArrayEquals(new byte[3], Arrays.copyOfRange(reply, 41, 44), "MBZ");
        if (size > 44) {
            assertArrayEquals(Arrays.copyOfRange(request, 44, size), Arrays.copyOfRange(reply, 44, size),
                    "padding and TLVs after the base come back as sent");
        }
    }

    @Test
    void requestsUnder14BytesAreDroppedAndCounted() {
        ReflectorHandler handler = new ReflectorHandler(ReflectorOptions.defaults());
        EmbeddedChannel ch = new EmbeddedChannel(handler);
        ch.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(Arrays.copyOf(unauthenticatedRequest(14), 13)), SELF, PEER));
        assertNull(ch.readOutbound());
        assertEquals(1, handler.malformed());
        assertFalse(ch.finishAndReleaseAll());
    }

    @ParameterizedTest(name = "authenticated {0}-byte request")
    @ValueSource(ints = {112, 114, 200})
    void authenticatedRequestsAreAnsweredAtTheirLengthAndSigned(int size) {
        StampAuth key = StampPacketTest.KEY;
        ReflectorHandler handler = new ReflectorHandler(ReflectorOptions.defaults().withAuth(key));
        EmbeddedChannel ch = new EmbeddedChannel(handler);
        ByteBuf request = Unpooled.buffer(size);
        StampPacket.writeSender(request, StampMode.AUTHENTICATED, SEQ, T1, SENDER_ERROR, SSID, size, null, key.newSigner());
        // RFC 8762 §4.2.2 offsets, by hand: sequence at 0, MBZ 4-15, timestamp at 16, HMAC at 96
        assertEquals(SEQ, request.getInt(0));
        assertEquals(T1, request.getLong(16));
        ch.writeInbound(new DatagramPacket(request, SELF, PEER));
        DatagramPacket reply = ch.readOutbound();
        try {
            ByteBuf r = reply.content();
            assertEquals(size, r.readableBytes());
            assertTrue(key.newSigner().verify(r, r.readerIndex()), "HMAC over bytes 0-95");
            assertEquals(0, r.getInt(0));
            assertEquals(SSID, r.getUnsignedShort(26));
            assertEquals(SEQ, r.getInt(48), "Session-Sender sequence number at 48");
            assertEquals(T1, r.getLong(64), "Session-Sender timestamp at 64");
            assertEquals(SENDER_ERROR, r.getUnsignedShort(72));
        } finally {
            reply.release();
        }
        assertFalse(ch.finishAndReleaseAll());
    }

    @ParameterizedTest(name = "authenticated mode refuses a {0}-byte request")
    @ValueSource(ints = {14, 44, 111})
    void authenticatedModeRefusesShortRequests(int size) {
        ReflectorHandler handler = new ReflectorHandler(ReflectorOptions.defaults().withAuth(StampPacketTest.KEY));
        EmbeddedChannel ch = new EmbeddedChannel(handler);
        ch.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(unauthenticatedRequest(size)), SELF, PEER));
        assertNull(ch.readOutbound());
        assertEquals(1, handler.malformed());
        assertFalse(ch.finishAndReleaseAll());
    }

    /** An unauthenticated reflector packet of {@code size} bytes, by hand; beyond 44 a TLV or zeros. */
    static byte[] unauthenticatedReply(int size) {
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putInt(7).putLong(StampPacketTest.T3).putShort((short) 0x8001).putShort((short) SSID)
                .putLong(StampPacketTest.T2).putInt(SEQ).putLong(T1).putShort((short) SENDER_ERROR);
        if (size > 40) {
            b.put(40, (byte) 61);
        }
        if (size >= 48) {
            b.position(44);
            b.put((byte) 0).put((byte) 1).putShort((short) (size - 48));
        }
        return b.array();
    }

    @ParameterizedTest(name = "{0}-byte reply")
    @ValueSource(ints = {38, 41, 43, 44, 45, 100, 114})
    void theSenderDecodesEveryReplyThatCarriesTheSendersFields(int size) {
        ReplyDecoder decoder = new ReplyDecoder(StampMode.UNAUTHENTICATED, null, false);
        StampReply r = decoder.decode(Unpooled.wrappedBuffer(unauthenticatedReply(size)), 1, 2, -1);
        ReflectorPacket p = r.packet();
        assertEquals(7, p.seq());
        assertEquals(StampPacketTest.T3, p.timestamp());
        assertEquals(SSID, p.ssid());
        assertEquals(StampPacketTest.T2, p.receiveTimestamp());
        assertEquals(SEQ, p.senderSeq());
        assertEquals(T1, p.senderTimestamp());
        assertEquals(SENDER_ERROR, p.senderErrorEstimate());
        assertEquals(size > 40 ? 61 : 0, p.senderTtl(), "TTL where the reply has the byte, else unknown");
        assertEquals(size, p.length());
        assertEquals(0, decoder.tooShort() + decoder.malformed());
    }

    @ParameterizedTest(name = "a {0}-byte reply is too short")
    @ValueSource(ints = {14, 24, 36, 37})
    void theSenderCountsRepliesTooShortToCarryItsFieldsAsSuch(int size) {
        ReplyDecoder decoder = new ReplyDecoder(StampMode.UNAUTHENTICATED, null, false);
        assertNull(decoder.decode(Unpooled.wrappedBuffer(Arrays.copyOf(unauthenticatedReply(44), size)), 1, 2, -1));
        assertEquals(1, decoder.tooShort());
        assertEquals(0, decoder.malformed());
    }

    @Test
    void authenticatedRepliesMustBeWholeAndSigned() {
        StampAuth key = StampPacketTest.KEY;
        ReplyDecoder decoder = new ReplyDecoder(StampMode.AUTHENTICATED, key, false);
        ByteBuf good = Unpooled.buffer(114);
        StampPacket.writeReflector(good, StampMode.AUTHENTICATED, new ReflectorPacket(7, StampPacketTest.T3, 1, SSID,
                StampPacketTest.T2, SEQ, T1, SENDER_ERROR, 64, 114), key.newSigner());
        assertEquals(SEQ, decoder.decode(good.duplicate(), 1, 2, -1).packet().senderSeq());
        assertNull(decoder.decode(good.slice(0, 111), 1, 2, -1));
        ByteBuf tampered = good.copy();
        tampered.setByte(50, tampered.getByte(50) ^ 1);
        assertNull(decoder.decode(tampered, 1, 2, -1));
        assertEquals(1, decoder.tooShort());
        assertEquals(1, decoder.malformed());
    }

    private static byte[] bytes(ByteBuf b) {
        byte[] out = new byte[b.readableBytes()];
        b.getBytes(b.readerIndex(), out);
        return out;
    }
}
