package io.linkprobe.common.stamp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.linkprobe.common.testing.fuzz.FuzzInput;
import io.linkprobe.common.testing.fuzz.Fuzzing;
import io.linkprobe.common.testing.fuzz.LeakReports;
import io.linkprobe.common.testing.fuzz.TrackingAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterAll;

/**
 * The Session-Reflector (RFC 8762) against any datagram anyone can send to UDP 862, in both modes.
 * It must never throw, never leak the request's buffer, answer each request at most once, to its
 * sender, and never with more bytes than the request (a reflector that answers bigger is an
 * amplifier); the only reply to a request shorter than the base packet is the base packet itself
 * (RFC 8762 §4.6), unauthenticated. An authenticated reply carries a valid HMAC.
 *
 * <pre>
 * input   := options u8 (bit 0 authenticated, bit 1 two sessions at most) datagram*
 * datagram:= control u8 (bits 0-1 sender, bit 2 sign it with the shared key) | length u16 | bytes
 * </pre>
 *
 * Signing lets the fuzzer reach past the HMAC check into the authenticated reflector.
 */
class ReflectorFuzzTest {
    static final StampAuth KEY = StampPacketTest.KEY;
    private static final InetSocketAddress SELF = new InetSocketAddress("127.0.0.1", 862);
    private static final InetSocketAddress[] SENDERS = {
        new InetSocketAddress("198.18.0.1", 40000), new InetSocketAddress("198.18.0.1", 40001),
        new InetSocketAddress("198.18.0.2", 40000), new InetSocketAddress("198.18.0.3", 862),
    };

    static {
        LeakReports.install();
    }

    @FuzzTest(maxDuration = Fuzzing.DURATION)
    void reflect(byte[] bytes) {
        FuzzInput in = new FuzzInput(bytes);
        int options = in.u8();
        boolean authenticated = (options & 1) != 0;
        ReflectorOptions opts = ReflectorOptions.defaults().withMaxSessions((options & 2) != 0 ? 2 : 50_000);
        if (authenticated) {
            opts = opts.withAuth(KEY);
        }
        StampMode mode = opts.mode();
        StampAuth.Signer signer = KEY.newSigner();
        TrackingAllocator alloc = new TrackingAllocator();
        ReflectorHandler handler = new ReflectorHandler(opts);
        EmbeddedChannel ch = new EmbeddedChannel(false, false, handler);
        ch.config().setAllocator(alloc);
        register(ch);
        while (in.hasMore()) {
            int control = in.u8();
            InetSocketAddress sender = SENDERS[control & 3];
            byte[] request = in.chunk();
            if ((control & 4) != 0 && request.length >= StampMode.AUTHENTICATED.baseSize) {
                ByteBuf signing = alloc.wrap(request);
                signer.sign(signing, 0);
                signing.getBytes(0, request);
                signing.release();
            }
            ch.writeInbound(new DatagramPacket(alloc.wrap(request), SELF, sender));
            ch.flushOutbound();
            DatagramPacket reply = ch.readOutbound();
            if (reply != null) {
                try {
                    checkReply(mode, request, sender, reply);
                } finally {
                    reply.release();
                }
            }
            if (ch.readOutbound() != null) {
                throw new AssertionError("two replies to one request");
            }
        }
        ch.checkException();
        if (ch.finishAndReleaseAll()) {
            throw new AssertionError("messages left in the channel");
        }
        alloc.assertAllReleased();
        LeakReports.assertNone();
    }

    private static void checkReply(StampMode mode, byte[] request, InetSocketAddress sender, DatagramPacket reply) {
        int length = reply.content().readableBytes();
        if (!reply.recipient().equals(sender)) {
            throw new AssertionError("reply to " + reply.recipient() + ", request from " + sender);
        }
        if (request.length >= mode.baseSize ? length != request.length
                : mode == StampMode.AUTHENTICATED || length != mode.baseSize) {
            throw new AssertionError(length + "-byte reply to a " + request.length + "-byte " + mode + " request");
        }
        ByteBuf r = reply.content();
        if (mode == StampMode.AUTHENTICATED && !KEY.newSigner().verify(r, r.readerIndex())) {
            throw new AssertionError("authenticated reply without a valid HMAC");
        }
        ReflectorPacket p = StampPacket.readReflector(mode, r);
        long requestSeq = request.length >= 4
                ? ((request[0] & 0xFFL) << 24) | ((request[1] & 0xFF) << 16) | ((request[2] & 0xFF) << 8) | (request[3] & 0xFF)
                : -1;
        if (requestSeq >= 0 && p.senderSeq() != requestSeq) {
            throw new AssertionError("reply names sender sequence " + p.senderSeq() + ", request had " + requestSeq);
        }
    }

    static void register(EmbeddedChannel ch) {
        try {
            ch.register();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void noLeakReportedByNetty() throws InterruptedException {
        LeakReports.collectAndAssertNone();
    }
}
