package io.linkprobe.common.throughput.protocol;

import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * The one place that draws every pipeline of the throughput protocol, in order.
 *
 * <pre>
 * server, new connection:  idle → sniffer
 * server, control:         idle → framer → codec → control (ServerControlHandler)
 * server, data:            idle → dataHeader → attach  ⇒ (attached) stream (Sending/ReceivingStream)
 * client, control:         preamble → framer → codec → control (ClientControlHandler)
 * client, status query:    preamble → framer → codec → control (StatusQueryHandler)
 * client, data:            stream (Sending/ReceivingStream)
 * </pre>
 *
 * The stateful handlers (sniffer, control, attach, stream) come from the client and server
 * packages; the framing and codecs are this package's own.
 */
public final class ThroughputPipelines {
    static final String IDLE = "idle";
    static final String SNIFFER = "sniffer";
    static final String PREAMBLE = "preamble";
    static final String FRAMER = "framer";
    static final String CODEC = "codec";
    static final String CONTROL = "control";
    static final String DATA_HEADER = "dataHeader";
    static final String ATTACH = "attach";
    static final String STREAM = "stream";

    /** A connection that says nothing for this long before its test runs is closed. */
    static final int HANDSHAKE_IDLE_SECONDS = 10;

    /**
     * Reads of up to 1 MiB: at tens of Gbit/s, 64 KiB reads (Netty's default cap) cost the receiver
     * a syscall and an event loop pass per 64 KiB, and the receiver is the side that limits loopback.
     */
    private static final AdaptiveRecvByteBufAllocator DATA_READS =
            new AdaptiveRecvByteBufAllocator(64 * 1024, 256 * 1024, 1024 * 1024);

    private ThroughputPipelines() {}

    public static void serverConnection(ChannelPipeline p, ChannelHandler sniffer) {
        p.addLast(IDLE, new IdleStateHandler(HANDSHAKE_IDLE_SECONDS, 0, 0, TimeUnit.SECONDS));
        p.addLast(SNIFFER, sniffer);
    }

    /** Called by the sniffer, which then removes itself. */
    public static void serverControl(ChannelPipeline p, ChannelHandler control) {
        p.addAfter(SNIFFER, FRAMER, new ControlFramer());
        p.addAfter(FRAMER, CODEC, new ControlCodec());
        p.addAfter(CODEC, CONTROL, control);
    }

    /** Called by the sniffer, which then removes itself. */
    public static void serverData(ChannelPipeline p, ChannelHandler attach) {
        p.addAfter(SNIFFER, DATA_HEADER, new DataHeaderDecoder());
        p.addAfter(DATA_HEADER, ATTACH, attach);
    }

    /** Puts the test's stream handler where the attach handler was, and resumes reading. */
    public static void serverStream(Channel ch, ChannelHandler stream) {
        configureData(ch);
        ChannelPipeline p = ch.pipeline();
        if (p.get(IDLE) != null) {
            p.remove(IDLE);
        }
        p.replace(ATTACH, STREAM, stream);
        ch.config().setAutoRead(true);
    }

    /** A test's control connection or a status query: the handler sends the first message. */
    public static void clientControl(ChannelPipeline p, ChannelHandler control) {
        p.addLast(PREAMBLE, new Preamble());
        p.addLast(FRAMER, new ControlFramer());
        p.addLast(CODEC, new ControlCodec());
        p.addLast(CONTROL, control);
    }

    public static void clientData(Channel ch, ChannelHandler stream) {
        configureData(ch);
        ch.pipeline().addLast(STREAM, stream);
    }

    /**
     * Socket buffers are left to the kernel's autotuning (setting SO_SNDBUF/SO_RCVBUF would switch
     * it off and cap the window); Nagle is irrelevant to bulk writes. Half-closure lets a stream tell
     * the end of the data (FIN) from a reset.
     */
    private static void configureData(Channel ch) {
        ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        ch.config().setRecvByteBufAllocator(DATA_READS);
    }
}
