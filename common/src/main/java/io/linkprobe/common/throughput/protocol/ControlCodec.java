package io.linkprobe.common.throughput.protocol;

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
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.MessageToMessageCodec;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Control messages ↔ frame bodies. Each frame (see {@link ControlFramer}) holds one message: a type
 * byte, then the fields below, all integers unsigned big-endian.
 *
 * <pre>
 * HELLO        0x01  c→s  version u8 | test id 16 | direction u8 (0 down = server sends, 1 up) |
 *                         streams u8 | interval ms u16 | max duration ms u32 |
 *                         max bytes u64 (0 = the server's limit) | client unix time ms u64 |
 *                         key id length u8 | key id UTF-8 | hmac length u8 (0 or 32) | hmac
 *                         hmac = HMAC-SHA-256(key, bytes from the type byte through the key id)
 * ACCEPT       0x02  s→c  granted duration ms u32 | granted bytes u64 | interval ms u16
 * BUSY         0x03  s→c  retry after ms u32 | queue position u16
 * REJECT       0x04  s→c  code u8 (1 auth, 2 replay, 3 bad request, 4 unavailable) |
 *                         reason length u16 | reason UTF-8
 * START        0x05  s→c  (empty)
 * REPORT       0x06  s→c  interval index u32 | bytes u64 | elapsed µs u32     (uploads only)
 * STOP         0x07  c→s  reason u8
 * RESULT       0x08  s→c  reason u8 | bytes u64 | elapsed µs u64 | has tcp u8 (0 or 1) |
 *                         [min rtt µs u32 | retransmits u32 | cwnd segments u32 |
 *                          cc length u8 | congestion control ASCII]   (if has tcp; length 0 = unknown)
 * STATUS_QUERY 0x09  c→s  (empty)
 * STATUS       0x0A  s→c  running tests u16 | queue length u16 | max concurrent tests u16
 * </pre>
 *
 * A frame whose type is unknown or whose body is short or long is a {@link CorruptedFrameException}.
 */
final class ControlCodec extends MessageToMessageCodec<ByteBuf, ControlMessage> {
    static final int HELLO = 0x01;
    static final int ACCEPT = 0x02;
    static final int BUSY = 0x03;
    static final int REJECT = 0x04;
    static final int START = 0x05;
    static final int REPORT = 0x06;
    static final int STOP = 0x07;
    static final int RESULT = 0x08;
    static final int STATUS_QUERY = 0x09;
    static final int STATUS = 0x0A;

    private static final long U32 = 0xFFFF_FFFFL;

    @Override
    protected void encode(ChannelHandlerContext ctx, ControlMessage msg, List<Object> out) {
        ByteBuf buf = ctx.alloc().buffer(64);
        try {
            encode(msg, buf);
        } catch (RuntimeException e) {
            buf.release();
            throw e;
        }
        out.add(buf);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
        out.add(decode(frame));
    }

    static void encode(ControlMessage msg, ByteBuf out) {
        if (msg instanceof Hello h) {
            writeHelloSigned(h, out);
            out.writeByte(h.hmac().length).writeBytes(h.hmac());
        } else if (msg instanceof Accept a) {
            out.writeByte(ACCEPT).writeInt(u32(a.grantedDurationMillis())).writeLong(a.grantedBytes())
                    .writeShort(u16(a.intervalMillis()));
        } else if (msg instanceof Busy b) {
            out.writeByte(BUSY).writeInt(u32(b.retryAfterMillis())).writeShort(u16(b.queuePosition()));
        } else if (msg instanceof Reject r) {
            byte[] reason = truncate(r.reason().getBytes(StandardCharsets.UTF_8), 512);
            out.writeByte(REJECT).writeByte(r.code().code()).writeShort(reason.length).writeBytes(reason);
        } else if (msg instanceof Start) {
            out.writeByte(START);
        } else if (msg instanceof Report r) {
            out.writeByte(REPORT).writeInt(r.index()).writeLong(r.bytes()).writeInt(u32(r.elapsedMicros()));
        } else if (msg instanceof Stop s) {
            out.writeByte(STOP).writeByte(s.reason().code());
        } else if (msg instanceof Result r) {
            out.writeByte(RESULT).writeByte(r.reason().code()).writeLong(r.bytes()).writeLong(r.elapsedMicros());
            TcpStats tcp = r.tcp();
            out.writeByte(tcp == null ? 0 : 1);
            if (tcp != null) {
                out.writeInt(u32(tcp.minRttMicros())).writeInt(u32(tcp.retransmits()))
                        .writeInt(u32(tcp.sendCwndSegments()));
                byte[] cc = tcp.congestionControl() == null ? new byte[0]
                        : tcp.congestionControl().getBytes(StandardCharsets.US_ASCII);
                out.writeByte(Math.min(cc.length, 255)).writeBytes(cc, 0, Math.min(cc.length, 255));
            }
        } else if (msg instanceof StatusQuery) {
            out.writeByte(STATUS_QUERY);
        } else if (msg instanceof Status s) {
            out.writeByte(STATUS).writeShort(u16(s.runningTests())).writeShort(u16(s.queueLength()))
                    .writeShort(u16(s.maxConcurrentTests()));
        } else {
            throw new IllegalArgumentException("not a control message: " + msg);
        }
    }

    /** The signed part of a HELLO: type byte through key id. {@link HelloAuth} MACs exactly this. */
    static void writeHelloSigned(Hello h, ByteBuf out) {
        byte[] keyId = h.keyId().getBytes(StandardCharsets.UTF_8);
        if (keyId.length > 255) {
            throw new IllegalArgumentException("key id longer than 255 bytes");
        }
        out.writeByte(HELLO).writeByte(h.version());
        h.testId().write(out);
        out.writeByte(h.direction().code()).writeByte(h.streams()).writeShort(u16(h.intervalMillis()))
                .writeInt(u32(h.maxDurationMillis())).writeLong(h.maxBytes()).writeLong(h.clientTimeMillis())
                .writeByte(keyId.length).writeBytes(keyId);
    }

    static ControlMessage decode(ByteBuf in) {
        try {
            ControlMessage msg = decodeBody(in.readUnsignedByte(), in);
            if (in.isReadable()) {
                throw new CorruptedFrameException(in.readableBytes() + " trailing bytes after " + name(msg));
            }
            return msg;
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new CorruptedFrameException("malformed control frame: " + e.getMessage(), e);
        }
    }

    private static ControlMessage decodeBody(int type, ByteBuf in) {
        switch (type) {
            case HELLO: {
                int version = in.readUnsignedByte();
                TestId id = TestId.read(in);
                Direction direction = Direction.ofCode(in.readUnsignedByte());
                int streams = in.readUnsignedByte();
                int interval = in.readUnsignedShort();
                long duration = in.readUnsignedInt();
                long bytes = in.readLong();
                long time = in.readLong();
                String keyId = in.readCharSequence(in.readUnsignedByte(), StandardCharsets.UTF_8).toString();
                byte[] mac = new byte[in.readUnsignedByte()];
                in.readBytes(mac);
                return new Hello(version, id, direction, streams, interval, duration, bytes, time, keyId, mac);
            }
            case ACCEPT:
                return new Accept(in.readUnsignedInt(), in.readLong(), in.readUnsignedShort());
            case BUSY:
                return new Busy(in.readUnsignedInt(), in.readUnsignedShort());
            case REJECT: {
                RejectCode code = RejectCode.ofCode(in.readUnsignedByte());
                return new Reject(code, in.readCharSequence(in.readUnsignedShort(), StandardCharsets.UTF_8).toString());
            }
            case START:
                return new Start();
            case REPORT:
                return new Report(in.readInt(), in.readLong(), in.readUnsignedInt());
            case STOP:
                return new Stop(StopReason.ofCode(in.readUnsignedByte()));
            case RESULT: {
                StopReason reason = StopReason.ofCode(in.readUnsignedByte());
                long bytes = in.readLong();
                long micros = in.readLong();
                TcpStats tcp = in.readUnsignedByte() == 0 ? null : readTcp(in);
                return new Result(reason, bytes, micros, tcp);
            }
            case STATUS_QUERY:
                return new StatusQuery();
            case STATUS:
                return new Status(in.readUnsignedShort(), in.readUnsignedShort(), in.readUnsignedShort());
            default:
                throw new CorruptedFrameException("unknown control message type 0x" + Integer.toHexString(type));
        }
    }

    private static String name(ControlMessage msg) {
        return msg.getClass().getSimpleName();
    }

    private static int u32(long value) {
        return (int) Math.min(Math.max(value, 0), U32);
    }

    private static int u16(long value) {
        return (int) Math.min(Math.max(value, 0), 0xFFFF);
    }

    private static byte[] truncate(byte[] bytes, int max) {
        return bytes.length <= max ? bytes : java.util.Arrays.copyOf(bytes, max);
    }

    private static TcpStats readTcp(ByteBuf in) {
        long rtt = in.readUnsignedInt();
        long retransmits = in.readUnsignedInt();
        long cwnd = in.readUnsignedInt();
        int ccLength = in.isReadable() ? in.readUnsignedByte() : 0; // tolerate a frame that ends before it
        String cc = ccLength == 0 ? null : in.readCharSequence(ccLength, StandardCharsets.US_ASCII).toString();
        return new TcpStats(rtt, retransmits, cwnd, cc);
    }
}
