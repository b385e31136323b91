package io.linkprobe.common.stamp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.linkprobe.common.net.NativeDatagramSocket;
import io.linkprobe.common.testing.EventLoops;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A sender's DSCP marking reaches the IP header (read back by a native socket, which sees each
 * datagram's TOS), and the DSCP the replies arrive with is read back too.
 */
class DscpMarkingTest {
    @RegisterExtension
    static final EventLoops loops = new EventLoops(1, "dscp-test");

    @Test
    void markedRequestsCarryTheirCodePointAndRepliesAreReadBack() throws Exception {
        EventLoop loop = loops.group().next();
        assumeTrue(NativeDatagramSocket.usableOn(loop), "no native UDP socket on this machine");
        BlockingQueue<Integer> tos = new ArrayBlockingQueue<>(16);
        NativeDatagramSocket listener = NativeDatagramSocket.open(loop, new InetSocketAddress("127.0.0.1", 0), null,
                StampPacket.MAX_SIZE, (data, info) -> tos.offer(info.tos()));
        try (StampSender sender = StampSender.open(loops.group(), new InetSocketAddress("127.0.0.1", listener.localPort()),
                SenderOptions.defaults().withTimeout(java.time.Duration.ofMillis(200)))) {
            sender.setDscp(46);
            sender.runCount(1, "t");
            assertEquals(46 << 2, tos.poll(5, TimeUnit.SECONDS), "EF in the request's TOS byte");
        } finally {
            listener.close();
        }

        StampReflector reflector = StampReflector.start(loops.group(), new InetSocketAddress("127.0.0.1", 0),
                ReflectorOptions.defaults());
        try (StampSender sender = StampSender.open(loops.group(), reflector.localAddress(), SenderOptions.defaults())) {
            assertEquals(-1, sender.replyDscp(), "nothing back yet");
            sender.setDscp(34);
            sender.runCount(3, "t").toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertEquals(0, sender.replyDscp(), "the reflector's socket does not mark its replies");
        } finally {
            reflector.close();
        }
    }
}
