package io.linkprobe.common.stamp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class ReplyDecoderTest {
    static final InetSocketAddress SELF = new InetSocketAddress("127.0.0.1", 40000);
    static final InetSocketAddress REFLECTOR = new InetSocketAddress("127.0.0.1", 862);

    @Test
    void decodesARfc8762ReplyAndStampsItsArrival() {
        EmbeddedChannel ch = new EmbeddedChannel(new ReplyDecoder(StampMode.UNAUTHENTICATED, null, false));
        long before = System.nanoTime();
        ch.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(HexFixture.load("reflector-unauth-44.hex")), SELF, REFLECTOR));
        StampReply r = ch.readInbound();
        assertEquals(new ReflectorPacket(7, StampPacketTest.T3, 0x8F84, 0xBEEF, StampPacketTest.T2, 0x01020304L,
                StampPacketTest.T1, 0x12A4, 0, 44), r.packet());
        assertTrue(r.receivedNanos() >= before);
        assertEquals(-1, r.kernelEpochNanos(), "the Netty path has no kernel timestamp");
        assertEquals(0, r.receivedNtp(false), "no wall clock wanted");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void acceptsTwampLightRepliesDownTo38BytesAndCountsShorterOnesAsTooShort() {
        ReplyDecoder decoder = new ReplyDecoder(StampMode.UNAUTHENTICATED, null, true);
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        byte[] full = HexFixture.load("reflector-unauth-44.hex");
        ch.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(full, 0, 41), SELF, REFLECTOR)); // RFC 5357 TWAMP-Light
        ch.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(full, 0, 38), SELF, REFLECTOR)); // nokia/twampy: no TTL
        ch.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(full, 0, 37), SELF, REFLECTOR));
        StampReply r = ch.readInbound();
        assertEquals(0x01020304L, r.packet().senderSeq());
        assertTrue(r.receivedNtp(false) != 0, "wall clock wanted for one-way delays");
        StampReply noTtl = ch.readInbound();
        assertEquals(0x01020304L, noTtl.packet().senderSeq());
        assertEquals(StampPacketTest.T1, noTtl.packet().senderTimestamp());
        assertEquals(0x12A4, noTtl.packet().senderErrorEstimate());
        assertEquals(0, noTtl.packet().senderTtl(), "no TTL byte: unknown");
        assertNull(ch.readInbound());
        assertEquals(1, decoder.tooShort());
        assertEquals(0, decoder.malformed());
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void authenticatedRepliesNeedTheRightHmac() {
        ReplyDecoder decoder = new ReplyDecoder(StampMode.AUTHENTICATED, StampPacketTest.KEY, false);
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        byte[] good = HexFixture.load("reflector-auth-112.hex");
        byte[] bad = good.clone();
        bad[50] ^= 1;
        ch.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(bad), SELF, REFLECTOR));
        ch.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(good), SELF, REFLECTOR));
        StampReply r = ch.readInbound();
        assertEquals(7, r.packet().seq());
        assertNull(ch.readInbound());
        assertEquals(1, decoder.malformed());
        assertFalse(ch.finishAndReleaseAll());
    }
}
