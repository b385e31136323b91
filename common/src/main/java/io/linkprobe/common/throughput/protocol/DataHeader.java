package io.linkprobe.common.throughput.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * What a data connection says before any data, right after its preamble:
 *
 * <pre>
 * 'L' 'P' 'T' 'D' | version u8 | test id 16 bytes | stream index u8       (22 bytes in all)
 * </pre>
 *
 * The test id is the one the client put in its (accepted) HELLO; the server closes data connections
 * naming a test it has not accepted, a stream index out of range, or one already attached.
 */
public record DataHeader(int version, TestId testId, int streamIndex) {
    /**
     * After ACCEPT the server waits this long for every data connection of the test; the client
     * allows for it before it gives up on START.
     */
    public static final long ATTACH_TIMEOUT_MILLIS = 5_000;

    /** Bytes after the preamble. */
    static final int LENGTH = 1 + TestId.BYTES + 1;

    /** Preamble and header, ready to write as a data connection's first bytes. */
    public ByteBuf encodeWithPreamble() {
        ByteBuf buf = Unpooled.buffer(Preamble.LENGTH + LENGTH);
        buf.writeInt(Preamble.DATA).writeByte(version);
        testId.write(buf);
        return buf.writeByte(streamIndex);
    }

    static DataHeader read(ByteBuf in) {
        int version = in.readUnsignedByte();
        TestId id = TestId.read(in);
        return new DataHeader(version, id, in.readUnsignedByte());
    }
}
