package io.linkprobe.common.stamp;

import io.linkprobe.common.net.NativeDatagramSocket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reflector on the native socket: T2 is the kernel's receive timestamp, so the time the event
 * loop took to wake up and read the request falls inside the stated turnaround (T3 - T2), which the
 * Session-Sender subtracts, instead of inside the RTT; the reply goes to the kernel straight after
 * T3 is stamped, and Ses-Sender TTL is the request's real TTL / hop limit.
 *
 * <p>Where the kernel gave no timestamp for a packet, or the one it gave is not plausible (more than
 * a second before the read: the wall clock was stepped in between), T2 is read in user space, as on
 * the Netty path.
 */
final class NativeReflector implements NativeDatagramSocket.Receiver {
    private static final Logger log = LoggerFactory.getLogger(NativeReflector.class);
    private static final long PLAUSIBLE_DELIVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final ReflectorCore core;
    private final NativeDatagramSocket socket;
    private final ScheduledFuture<?> sweep;
    private volatile long kernelStamped;
    private volatile long userStamped;

    private NativeReflector(EventLoop loop, InetSocketAddress bind, ReflectorOptions opts) {
        this.core = new ReflectorCore(opts);
        this.socket = NativeDatagramSocket.open(loop, bind, null, StampPacket.MAX_SIZE, this);
        long period = ReflectorHandler.sweepPeriodNanos(opts);
        this.sweep = loop.scheduleAtFixedRate(() -> core.expireIdle(System.nanoTime()), period, period, TimeUnit.NANOSECONDS);
    }

    static NativeReflector start(EventLoop loop, InetSocketAddress bind, ReflectorOptions opts) {
        return new NativeReflector(loop, bind, opts);
    }

    @Override
    public void received(ByteBuf data, NativeDatagramSocket.Received info) {
        if (info.truncated()) {
            data.writerIndex(StampPacket.MAX_SIZE + 1); // refused as too long, and counted
        }
        long t2;
        long kernel = info.kernelEpochNanos();
        long delivery = info.readEpochNanos() - kernel;
        if (kernel > 0 && delivery >= 0 && delivery < PLAUSIBLE_DELIVERY_NANOS) {
            t2 = NtpTimestamp.fromEpoch(Math.floorDiv(kernel, 1_000_000_000L), (int) Math.floorMod(kernel, 1_000_000_000L));
            kernelStamped++;
        } else {
            t2 = NtpTimestamp.now();
            userStamped++;
        }
        int ttl = Math.max(0, info.ttl());
        ByteBuf reply = core.reflect(data, info.sender(), t2, ttl, info.readNanos(), ByteBufAllocator.DEFAULT);
        if (reply == null) {
            return;
        }
        try {
            if (!socket.send(reply, info.sender())) {
                core.dropped();
            }
        } finally {
            if (reply != data) {
                reply.release();
            }
        }
    }

    ReflectorCore core() {
        return core;
    }

    int localPort() {
        return socket.localPort();
    }

    long kernelStamped() {
        return kernelStamped;
    }

    long userStamped() {
        return userStamped;
    }

    void close() {
        sweep.cancel(false);
        socket.close();
        log.debug("native STAMP reflector closed");
    }
}
