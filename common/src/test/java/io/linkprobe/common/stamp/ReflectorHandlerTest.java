package io.linkprobe.common.stamp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReflectorHandlerTest {
    static final InetSocketAddress SELF = new InetSocketAddress("127.0.0.1", 862);
    static final InetSocketAddress ALICE = new InetSocketAddress("198.18.0.1", 40000);
    static final InetSocketAddress BOB = new InetSocketAddress("198.18.0.2", 40000);

    @Test
    void eachSessionGetsItsOwnSequenceAndRepliesKeepTheRequestLength() {
        ReflectorHandler handler = new ReflectorHandler(ReflectorOptions.defaults());
        EmbeddedChannel ch = new EmbeddedChannel(handler);
        ch.writeInbound(request(ALICE, 10, 1, 44));
        ch.writeInbound(request(ALICE, 11, 1, 100));
        ch.writeInbound(request(BOB, 10, 1, 44));
        ch.writeInbound(request(ALICE, 12, 2, 44)); // another SSID from the same port: another session
        ch.writeInbound(request(ALICE, 13, 1, 44));

        assertReply(ch.readOutbound(), ALICE, 0, 10, 44);
        assertReply(ch.readOutbound(), ALICE, 1, 11, 100);
        assertReply(ch.readOutbound(), BOB, 0, 10, 44);
        assertReply(ch.readOutbound(), ALICE, 0, 12, 44);
        assertReply(ch.readOutbound(), ALICE, 2, 13, 44);
        assertEquals(5, handler.reflected());
        assertEquals(3, handler.activeSessions());
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void tooShortAndTooLongDatagramsAreDroppedAndCountedAndAnsweringGoesOn() {
        ReflectorHandler handler = new ReflectorHandler(ReflectorOptions.defaults());
        EmbeddedChannel ch = new EmbeddedChannel(handler);
        ch.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(new byte[] {1, 2, 3}), SELF, ALICE));
        ch.writeInbound(new DatagramPacket(Unpooled.buffer(13).writeZero(13), SELF, ALICE)); // under TWAMP-Light's 14
        ch.writeInbound(new DatagramPacket(Unpooled.buffer(9001).writeZero(9001), SELF, ALICE));
        assertNull(ch.readOutbound());
        ch.writeInbound(request(ALICE, 5, 1, 44));
        assertReply(ch.readOutbound(), ALICE, 0, 5, 44);
        assertEquals(3, handler.malformed());
        assertEquals(1, handler.reflected());
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void authenticatedModeDropsPacketsWithoutTheRightHmac() {
        StampAuth key = StampPacketTest.KEY;
        ReflectorHandler handler = new ReflectorHandler(ReflectorOptions.defaults().withAuth(key));
        EmbeddedChannel ch = new EmbeddedChannel(handler);
        ch.writeInbound(request(ALICE, 1, 1, 112)); // unsigned: HMAC field all zeros
        ch.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(HexFixture.load("sender-auth-112.hex")), SELF, ALICE));
        DatagramPacket reply = ch.readOutbound();
        assertEquals(112, reply.content().readableBytes());
        assertEquals(true, key.newSigner().verify(reply.content(), reply.content().readerIndex()));
        assertEquals(0x01020304L, StampPacket.readReflector(StampMode.AUTHENTICATED, reply.content()).senderSeq());
        reply.release();
        assertEquals(1, handler.malformed());
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void idleSessionsAreForgottenAndTheCountRestarts() throws InterruptedException {
        ReflectorHandler handler = new ReflectorHandler(ReflectorOptions.defaults().withSessionIdleTimeout(Duration.ofMillis(250)));
        EmbeddedChannel ch = new EmbeddedChannel(handler);
        // 250 ms: a GC pause between the first two requests must not already end the session.
        ch.writeInbound(request(ALICE, 1, 1, 44));
        ch.writeInbound(request(ALICE, 2, 1, 44));
        Thread.sleep(600);
        ch.runScheduledPendingTasks();
        assertEquals(0, handler.activeSessions());
        ch.writeInbound(request(ALICE, 3, 1, 44));
        assertReply(ch.readOutbound(), ALICE, 0, 1, 44);
        assertReply(ch.readOutbound(), ALICE, 1, 2, 44);
        assertReply(ch.readOutbound(), ALICE, 0, 3, 44);
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void theSessionSeenLongestAgoIsEvictedAtTheBound() {
        ReflectorHandler handler = new ReflectorHandler(ReflectorOptions.defaults().withMaxSessions(2));
        EmbeddedChannel ch = new EmbeddedChannel(handler);
        ch.writeInbound(request(ALICE, 1, 1, 44));
        ch.writeInbound(request(BOB, 1, 1, 44));
        ch.writeInbound(request(ALICE, 2, 1, 44)); // Alice is now the most recent
        ch.writeInbound(request(ALICE, 3, 7, 44)); // a third session evicts Bob's
        ch.writeInbound(request(ALICE, 4, 1, 44));
        ch.writeInbound(request(BOB, 2, 1, 44));
        assertEquals(2, handler.activeSessions());
        assertEquals(2, handler.evicted()); // Bob's, then Alice's SSID 7 when Bob came back
        ch.releaseOutbound();
        ch.writeInbound(request(ALICE, 5, 1, 44));
        assertReply(ch.readOutbound(), ALICE, 3, 5, 44);
        assertFalse(ch.finishAndReleaseAll());
    }

    static DatagramPacket request(InetSocketAddress from, long seq, int ssid, int size) {
        ByteBuf b = Unpooled.buffer(size);
        StampPacket.writeSender(b, StampMode.UNAUTHENTICATED, seq, NtpTimestamp.now(), 0x12A4, ssid, size, null, null);
        return new DatagramPacket(b, SELF, from);
    }

    private static void assertReply(DatagramPacket reply, InetSocketAddress to, long reflectorSeq, long senderSeq, int size) {
        try {
            assertEquals(to, reply.recipient());
            assertEquals(size, reply.content().readableBytes());
            ReflectorPacket p = StampPacket.readReflector(StampMode.UNAUTHENTICATED, reply.content());
            assertEquals(reflectorSeq, p.seq());
            assertEquals(senderSeq, p.senderSeq());
        } finally {
            reply.release();
        }
    }
}
