package io.linkprobe.common.stamp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The byte layout against hand-written packets from the RFC's figures (files next to this test). */
class StampPacketTest {
    static final long T1 = 0x83AA7E81_80000000L; // 1970-01-01T00:00:01.5Z
    static final long T2 = 0xE93C7F00_40000000L; // 2024-01-01T00:00:00.25Z
    static final long T3 = 0xE93C7F00_C0000000L; // 2024-01-01T00:00:00.75Z
    static final StampAuth KEY = new StampAuth(keyBytes());

    static byte[] keyBytes() {
        byte[] k = new byte[16];
        IntStream.range(0, 16).forEach(i -> k[i] = (byte) i);
        return k;
    }

    @Test
    void unauthenticatedSenderPacketMatchesRfc8762Figure() {
        ByteBuf out = Unpooled.buffer();
        StampPacket.writeSender(out, StampMode.UNAUTHENTICATED, 0x01020304L, T1, 0x12A4, 0xBEEF, 44, null, null);
        assertBytes("sender-unauth-44.hex", out);
    }

    @Test
    void paddingIsOneExtraPaddingTlv() {
        ByteBuf out = Unpooled.buffer();
        byte[] filler = {(byte) 0xDE, (byte) 0xAD, (byte) 0xBE, (byte) 0xEF};
        StampPacket.writeSender(out, StampMode.UNAUTHENTICATED, 0x01020304L, T1, 0x12A4, 0xBEEF, 52, filler, null);
        assertBytes("sender-unauth-52-padded.hex", out);
    }

    @Test
    void paddingTooShortForATlvHeaderIsZeros() {
        ByteBuf out = Unpooled.buffer();
        StampPacket.writeSender(out, StampMode.UNAUTHENTICATED, 1, T1, 0x12A4, 1, 47, new byte[8], null);
        assertEquals(47, out.readableBytes());
        assertEquals(0, out.getByte(44) | out.getByte(45) | out.getByte(46));
        out.release();
    }

    @Test
    void reflectorAnswersInPlaceWithRfc8762Layout() {
        ByteBuf buf = Unpooled.wrappedBuffer(HexFixture.load("sender-unauth-44.hex"));
        StampPacket.reflectInPlace(buf, StampMode.UNAUTHENTICATED, 7, T2, T3, 0x8F84, 0);
        assertBytes("reflector-unauth-44.hex", buf);
    }

    @Test
    void reflectorZeroesTheRequestsMbzAndKeepsItsPadding() {
        byte[] request = HexFixture.load("sender-unauth-52-padded.hex");
        request[20] = 0x55; // garbage in the sender's MBZ
        ByteBuf buf = Unpooled.wrappedBuffer(request);
        StampPacket.reflectInPlace(buf, StampMode.UNAUTHENTICATED, 7, T2, T3, 0x8F84, 0);
        byte[] expected = new byte[52];
        System.arraycopy(HexFixture.load("reflector-unauth-44.hex"), 0, expected, 0, 44);
        System.arraycopy(HexFixture.load("sender-unauth-52-padded.hex"), 44, expected, 44, 8);
        assertArrayEquals(expected, ByteBufUtil.getBytes(buf));
        buf.release();
    }

    @Test
    void unauthenticatedPacketsRoundTrip() {
        ByteBuf out = Unpooled.buffer();
        StampPacket.writeSender(out, StampMode.UNAUTHENTICATED, 0xFFFF_FFFFL, T1, 0x8001, 0xFFFF, 100, null, null);
        assertEquals(new SenderPacket(0xFFFF_FFFFL, T1, 0x8001, 0xFFFF, 100),
                StampPacket.readSender(StampMode.UNAUTHENTICATED, out));
        ReflectorPacket p = new ReflectorPacket(0xFFFF_FFFEL, T3, 0x8F84, 0xFFFF, T2, 0xFFFF_FFFFL, T1, 0x8001, 255, 100);
        ByteBuf reply = Unpooled.buffer();
        StampPacket.writeReflector(reply, StampMode.UNAUTHENTICATED, p, null);
        assertEquals(p, StampPacket.readReflector(StampMode.UNAUTHENTICATED, reply));
        out.release();
        reply.release();
    }

    @Test
    void authenticatedSenderPacketMatchesRfc8762FigureAndHmac() {
        ByteBuf out = Unpooled.buffer();
        StampAuth.Signer signer = KEY.newSigner();
        StampPacket.writeSender(out, StampMode.AUTHENTICATED, 0x01020304L, T1, 0x12A4, 0xBEEF, 112, null, signer);
        assertBytes("sender-auth-112.hex", out);
    }

    @Test
    void authenticatedReflectionMatchesRfc8762FigureAndHmac() {
        ByteBuf buf = Unpooled.wrappedBuffer(HexFixture.load("sender-auth-112.hex"));
        StampAuth.Signer signer = KEY.newSigner();
        assertTrue(signer.verify(buf, 0));
        StampPacket.reflectInPlace(buf, StampMode.AUTHENTICATED, 7, T2, T3, 0x8F84, 0);
        signer.sign(buf, 0);
        assertBytes("reflector-auth-112.hex", buf);
    }

    @Test
    void aChangedByteOrAnotherKeyFailsVerification() {
        ByteBuf buf = Unpooled.wrappedBuffer(HexFixture.load("sender-auth-112.hex"));
        byte[] otherKey = keyBytes();
        otherKey[0] = 1;
        assertFalse(new StampAuth(otherKey).newSigner().verify(buf, 0));
        buf.setByte(3, 5);
        assertFalse(KEY.newSigner().verify(buf, 0));
        buf.release();
    }

    @Test
    void refusesSizesOutsideBaseToJumbo() {
        ByteBuf out = Unpooled.buffer();
        assertThrows(IllegalArgumentException.class,
                () -> StampPacket.writeSender(out, StampMode.UNAUTHENTICATED, 1, T1, 1, 1, 43, null, null));
        assertThrows(IllegalArgumentException.class,
                () -> StampPacket.writeSender(out, StampMode.AUTHENTICATED, 1, T1, 1, 1, 100, null, KEY.newSigner()));
        assertThrows(IllegalArgumentException.class,
                () -> StampPacket.writeSender(out, StampMode.UNAUTHENTICATED, 1, T1, 1, 1, 9001, null, null));
        out.release();
    }

    private static void assertBytes(String fixture, ByteBuf actual) {
        assertEquals(ByteBufUtil.hexDump(HexFixture.load(fixture)), ByteBufUtil.hexDump(actual), fixture);
        actual.release();
    }
}
