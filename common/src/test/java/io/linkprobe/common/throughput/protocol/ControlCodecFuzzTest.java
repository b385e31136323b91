package io.linkprobe.common.throughput.protocol;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.linkprobe.common.testing.fuzz.FuzzInput;
import io.linkprobe.common.testing.fuzz.Fuzzing;
import io.linkprobe.common.testing.fuzz.LeakReports;
import io.linkprobe.common.testing.fuzz.Refusals;
import io.linkprobe.common.testing.fuzz.TrackingAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;

/**
 * The throughput control connection's framing and codec ({@link ControlFramer}, {@link ControlCodec})
 * read by either end, whatever the other end sends: the agent reads a hostile responder's ACCEPT,
 * REPORT, RESULT..., the responder a hostile agent's HELLO (the responder's whole pipeline is
 * {@code ThroughputServerFuzzTest}). Bytes arrive in any split. The one refusal is a
 * {@link CorruptedFrameException} or {@link TooLongFrameException} (after which the connection is
 * closed, so nothing more is fed); anything else, such as a {@code DecoderException} that Netty
 * wraps around an unexpected exception, is a finding. Every message read encodes again, and what it encodes to reads as
 * a message that encodes to the same bytes (nothing read can be sent differently from what was read,
 * apart from the first normalisation: a REJECT reason cut to 512 bytes, invalid UTF-8 replaced).
 * No buffer may leak.
 *
 * <pre>
 * input := chunk*   chunk := length u16 | bytes (as they arrive)
 * </pre>
 */
class ControlCodecFuzzTest {
    static {
        LeakReports.install();
    }

    @FuzzTest(maxDuration = Fuzzing.DURATION)
    void frames(byte[] bytes) {
        FuzzInput in = new FuzzInput(bytes);
        TrackingAllocator alloc = new TrackingAllocator();
        EmbeddedChannel ch = new EmbeddedChannel(false, false, new ControlFramer(), new ControlCodec());
        ch.config().setAllocator(alloc);
        try {
            ch.register();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        while (in.hasMore() && ch.isOpen()) {
            byte[] chunk = in.chunk();
            boolean read = Refusals.accepted(() -> {
                ch.writeInbound(alloc.wrap(chunk));
                ch.checkException();
            }, CorruptedFrameException.class, TooLongFrameException.class);
            for (ControlMessage m; (m = ch.readInbound()) != null; ) {
                encodesStably(m);
            }
            if (!read) {
                // What the control handlers do on a refused frame. A frame too long is refused again
                // as the input closes (the framer was still discarding it: found by fuzzing); that
                // is the same refusal, not a finding.
                Refusals.accepted(() -> {
                    ch.close();
                    ch.checkException();
                }, CorruptedFrameException.class, TooLongFrameException.class);
            }
        }
        Refusals.accepted(ch::finishAndReleaseAll, CorruptedFrameException.class, TooLongFrameException.class);
        alloc.assertAllReleased();
        LeakReports.assertNone();
    }

    private static void encodesStably(ControlMessage m) {
        byte[] once;
        try {
            once = encode(m);
        } catch (IllegalArgumentException e) {
            if (m instanceof ControlMessage.Hello h && h.keyId().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 255) {
                return; // a key id of invalid UTF-8 grows when replaced; no site's key id is one (Names)
            }
            throw new AssertionError("a message read cannot be encoded: " + m, e);
        }
        ByteBuf buf = Unpooled.wrappedBuffer(once);
        byte[] twice = encode(ControlCodec.decode(buf));
        if (!Arrays.equals(once, twice)) {
            throw new AssertionError(m + " encodes to " + ByteBufUtil.hexDump(once) + ", which reads as a message that encodes to "
                    + ByteBufUtil.hexDump(twice));
        }
    }

    private static byte[] encode(ControlMessage m) {
        ByteBuf out = Unpooled.buffer();
        ControlCodec.encode(m, out);
        return ByteBufUtil.getBytes(out);
    }

    @AfterAll
    static void noLeakReportedByNetty() throws InterruptedException {
        LeakReports.collectAndAssertNone();
    }
}
