package io.linkprobe.common.throughput.protocol;

import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;

/**
 * Length-prefixed framing of the control connection:
 *
 * <pre>
 * +-------------+---------------------------+
 * | length u16  | body (length bytes)       |   body = type byte + fields, see ControlCodec
 * +-------------+---------------------------+
 * </pre>
 *
 * Frames longer than {@value #MAX_FRAME} bytes are refused: the largest real message (a HELLO with
 * a 255-byte key id) is under 400 bytes, so anything bigger is garbage or an attack.
 */
final class ControlFramer extends CombinedChannelDuplexHandler<LengthFieldBasedFrameDecoder, LengthFieldPrepender> {
    static final int MAX_FRAME = 1024;

    ControlFramer() {
        super(new LengthFieldBasedFrameDecoder(2 + MAX_FRAME, 0, 2, 0, 2), new LengthFieldPrepender(2));
    }
}
