package io.linkprobe.common.throughput.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.common.throughput.measurement.TcpStats;
import io.linkprobe.common.throughput.protocol.ControlMessage.Accept;
import io.linkprobe.common.throughput.protocol.ControlMessage.Busy;
import io.linkprobe.common.throughput.protocol.ControlMessage.Hello;
import io.linkprobe.common.throughput.protocol.ControlMessage.Reject;
import io.linkprobe.common.throughput.protocol.ControlMessage.Report;
import io.linkprobe.common.throughput.protocol.ControlMessage.Result;
import io.linkprobe.common.throughput.protocol.ControlMessage.Start;
import io.linkprobe.common.throughput.protocol.ControlMessage.Status;
import io.linkprobe.common.throughput.protocol.ControlMessage.StatusQuery;
import io.linkprobe.common.throughput.protocol.ControlMessage.Stop;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ControlCodecTest {
    private static final TestId ID = new TestId(0x0102030405060708L, 0x090A0B0C0D0E0F10L);

    static Stream<ControlMessage> everyMessage() {
        return Stream.of(
                new Hello(1, ID, Direction.UP, 4, 100, 10_000, 1L << 33, 1_700_000_000_000L, "site-é", new byte[32]),
                new Hello(1, ID, Direction.DOWN, 1, 0, 0, 0, 0, "", null),
                new Accept(9_000, 123_456_789_012L, 100),
                new Busy(12_345, 3),
                new Reject(RejectCode.AUTH, "bad HMAC: ü"),
                new Start(),
                new Report(7, 1_250_000, 100_123),
                new Stop(StopReason.STABLE),
                new Result(StopReason.BYTES_LIMIT, 987_654_321L, 10_000_000L, new TcpStats(250, 3, 10, "cubic")),
                new Result(StopReason.STABLE, 5, 6, new TcpStats(1, 2, 3, null)),
                new Result(StopReason.DURATION_LIMIT, 1, 2, null),
                new StatusQuery(),
                new Status(1, 2, 3));
    }

    private static EmbeddedChannel pipeline() {
        return new EmbeddedChannel(new ControlFramer(), new ControlCodec());
    }

    /** Everything written, as one buffer (the prepender emits the length and the body separately). */
    private static ByteBuf outbound(EmbeddedChannel ch) {
        ByteBuf all = Unpooled.buffer();
        for (ByteBuf b = ch.readOutbound(); b != null; b = ch.readOutbound()) {
            all.writeBytes(b);
            b.release();
        }
        return all;
    }

    @ParameterizedTest
    @MethodSource("everyMessage")
    void everyMessageSurvivesFramingAndCodec(ControlMessage msg) {
        EmbeddedChannel ch = pipeline();
        assertTrue(ch.writeOutbound(msg));
        ByteBuf wire = outbound(ch);
        assertTrue(ch.writeInbound(wire));
        assertEquals(msg, ch.readInbound());
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void helloBytesAreAsDocumented() {
        Hello hello = new Hello(1, ID, Direction.UP, 2, 100, 10_000, 0, 0x0102L, "ab", new byte[0]);
        ByteBuf buf = Unpooled.buffer();
        ControlCodec.encode(hello, buf);
        assertEquals("01" + "01" + "0102030405060708090a0b0c0d0e0f10" + "01" + "02" + "0064" + "00002710"
                + "0000000000000000" + "0000000000000102" + "02" + "6162" + "00", ByteBufUtil.hexDump(buf));
        buf.release();
    }

    @Test
    void framesAreLengthPrefixedWithTwoBytes() {
        EmbeddedChannel ch = pipeline();
        ch.writeOutbound(new Stop(StopReason.DURATION_LIMIT));
        ByteBuf wire = outbound(ch);
        assertArrayEquals(HexFormat.of().parseHex("0002" + "07" + "02"), ByteBufUtil.getBytes(wire));
        wire.release();
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void aFrameSplitAcrossReadsIsReassembled() {
        EmbeddedChannel ch = pipeline();
        byte[] wire = HexFormat.of().parseHex("0011" + "06" + "00000001" + "00000000000000ff" + "00000064");
        ch.writeInbound(Unpooled.wrappedBuffer(wire, 0, 9));
        assertNull(ch.readInbound());
        ch.writeInbound(Unpooled.wrappedBuffer(wire, 9, wire.length - 9));
        assertEquals(new Report(1, 255, 100), ch.readInbound());
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void unknownTypeIsRejected() {
        EmbeddedChannel ch = pipeline();
        assertThrows(DecoderException.class,
                () -> ch.writeInbound(Unpooled.wrappedBuffer(HexFormat.of().parseHex("0001" + "7f"))));
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void trailingBytesAreRejected() {
        EmbeddedChannel ch = pipeline();
        assertThrows(DecoderException.class,
                () -> ch.writeInbound(Unpooled.wrappedBuffer(HexFormat.of().parseHex("0002" + "05" + "00"))));
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void truncatedBodyIsRejected() {
        EmbeddedChannel ch = pipeline();
        assertThrows(DecoderException.class,
                () -> ch.writeInbound(Unpooled.wrappedBuffer(HexFormat.of().parseHex("0003" + "03" + "0000"))));
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void oversizedFrameIsRefusedBeforeItIsBuffered() {
        EmbeddedChannel ch = pipeline();
        ByteBuf huge = Unpooled.buffer().writeShort(ControlFramer.MAX_FRAME + 1).writeZero(16);
        assertThrows(TooLongFrameException.class, () -> ch.writeInbound(huge));
        assertFalse(ch.finishAndReleaseAll());
    }
}
