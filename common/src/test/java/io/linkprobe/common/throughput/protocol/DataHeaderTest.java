package io.linkprobe.common.throughput.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

class DataHeaderTest {
    private static final DataHeader HEADER = new DataHeader(1, new TestId(1, 2), 3);

    @Test
    void headerBytesAreAsDocumented() {
        ByteBuf buf = HEADER.encodeWithPreamble();
        assertEquals("4c505444" + "01" + "0000000000000001" + "0000000000000002" + "03", ByteBufUtil.hexDump(buf));
        buf.release();
    }

    @Test
    void decoderEmitsTheHeaderThenPassesTheDataOn() {
        EmbeddedChannel ch = new EmbeddedChannel(new DataHeaderDecoder());
        ByteBuf wire = HEADER.encodeWithPreamble();
        wire.skipBytes(Preamble.LENGTH);
        wire.writeBytes(new byte[] {42, 43});
        ch.writeInbound(wire.readRetainedSlice(5));
        assertNull(ch.readInbound());
        ch.writeInbound(wire);
        assertEquals(HEADER, ch.readInbound());
        ByteBuf rest = ch.readInbound();
        assertEquals("2a2b", ByteBufUtil.hexDump(rest));
        rest.release();
        assertFalse(ch.finishAndReleaseAll());
    }
}
