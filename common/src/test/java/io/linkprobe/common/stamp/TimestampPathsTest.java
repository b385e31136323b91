package io.linkprobe.common.stamp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.linkprobe.common.net.NativeUdp;
import io.linkprobe.common.net.Transports;
import io.linkprobe.common.wire.LatencyWindow;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Both sockets, in every pairing: the native one with kernel timestamps where this machine has it,
 * the Netty one with user-space timestamps where it has not or where it is turned off; each says
 * which it used, and they interoperate.
 */
class TimestampPathsTest {
    static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 0);

    @Test
    void theNativeShimLoadsWhereThisBuildCarriesOneForThePlatform() {
        assumeTrue(NativeUdp.class.getResource("/native/" + NativeUdp.platform() + "/liblinkprobe_udp.so") != null,
                "no native shim built for " + NativeUdp.platform() + " (no compiler at build time)");
        assumeTrue(System.getProperty("linkprobe.timestamps") == null, "turned off for this run");
        assertTrue(NativeUdp.available(), "built but not usable: " + NativeUdp.unavailableReason());
    }

    @Test
    void everyPairingOfKernelAndUserTimestampsMeasuresAndSaysWhichItUsed() throws Exception {
        EventLoopGroup group = Transports.group(1, "stamp-paths");
        try {
            for (boolean reflectorKernel : new boolean[] {true, false}) {
                for (boolean senderKernel : new boolean[] {true, false}) {
                    check(group, reflectorKernel, senderKernel);
                }
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static void check(EventLoopGroup group, boolean reflectorKernel, boolean senderKernel) throws Exception {
        String what = "reflector " + (reflectorKernel ? "kernel" : "user") + ", sender " + (senderKernel ? "kernel" : "user");
        try (StampReflector reflector = StampReflector.start(group, LOOPBACK,
                ReflectorOptions.defaults().withKernelTimestamps(reflectorKernel));
                StampSender sender = StampSender.open(group, reflector.localAddress(),
                        StampLoopbackTest.FAST.withKernelTimestamps(senderKernel))) {
            LatencyWindow w = sender.runCount(20, "paths").toCompletableFuture().get(15, TimeUnit.SECONDS);
            assertEquals(20, w.received(), what);
            boolean kernelHere = NativeUdp.available();
            assertEquals(reflectorKernel && kernelHere, reflector.timestamps().equals("kernel"), what + ": " + reflector.timestamps());
            assertEquals(senderKernel && kernelHere, sender.timestamps().startsWith("kernel"), what + ": " + sender.timestamps());
            if (!senderKernel) {
                assertTrue(sender.timestamps().startsWith("user (kernel timestamps turned off"), sender.timestamps());
                assertEquals(20, sender.userRtts(), what);
            } else if (kernelHere) {
                // Every RTT from the kernel's clock, bar one whose thread was preempted between its
                // two clock reads (ReplyTiming): that one is monotonic, as it should be.
                assertTrue(sender.kernelRtts() >= 18, what + ": " + sender.kernelRtts() + " kernel RTTs");
                if (sender.timestamps().equals("kernel")) {
                    // Loopback stamps every packet inside its send call (TX_SCHED).
                    assertTrue(sender.txStamped() >= 18, what + ": " + sender.txStamped() + " transmit timestamps");
                }
                assertEquals(20, sender.kernelRtts() + sender.userRtts());
            }
            assertTrue(w.rtt().min() > 0, what + ": " + w.rtt());
        }
    }

    @Test
    void aNioEventLoopFallsBackToUserTimestampsAndSaysWhy() throws Exception {
        EventLoopGroup nio = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (StampReflector reflector = StampReflector.start(nio, LOOPBACK, ReflectorOptions.defaults());
                StampSender sender = StampSender.open(nio, reflector.localAddress(), StampLoopbackTest.FAST)) {
            assertTrue(reflector.timestamps().startsWith("user ("), reflector.timestamps());
            assertTrue(sender.timestamps().startsWith("user ("), sender.timestamps());
            assertEquals(5, sender.runCount(5, "nio").toCompletableFuture().get(15, TimeUnit.SECONDS).received());
        } finally {
            nio.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
