package io.linkprobe.common.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A UDP socket of the {@link NativeUdp} shim, driven by a Netty epoll event loop: the loop's epoll
 * set watches its descriptor (Netty 4.2's {@link EpollIoHandle}), and on readiness every waiting
 * datagram is read with its kernel receive timestamp, TTL and TOS and handed to the
 * {@link Receiver}, on that loop's thread. Sends go straight to the kernel from the calling (loop)
 * thread, with no pipeline or flush in between, so a timestamp taken just before {@link #send} is
 * within a system call of the packet leaving.
 *
 * <p>Everything but {@link #open} and {@link #close} must run on the socket's event loop. One
 * receive buffer is reused for every datagram: a receiver that keeps data must copy it.
 */
public final class NativeDatagramSocket implements EpollIoHandle {
    private static final Logger log = LoggerFactory.getLogger(NativeDatagramSocket.class);
    /** Datagrams read per readiness event before the loop gets to run its other work. */
    private static final int READS_PER_EVENT = 64;

    /** What a datagram brought besides its bytes. Reused: valid only during {@link Receiver#received}. */
    public static final class Received {
        long kernelEpochNanos = -1;
        long readNanos;
        long readEpochNanos;
        int ttl = -1;
        int tos = -1;
        boolean truncated;
        InetSocketAddress sender;

        /** Kernel receive time (CLOCK_REALTIME, ns since 1970), or -1 when the kernel gave none. */
        public long kernelEpochNanos() {
            return kernelEpochNanos;
        }

        /** {@code System.nanoTime()} just after the datagram was read. */
        public long readNanos() {
            return readNanos;
        }

        /** The wall clock (ns since 1970) just after the datagram was read. */
        public long readEpochNanos() {
            return readEpochNanos;
        }

        /** IPv4 TTL or IPv6 hop limit as received, or -1 when unknown. */
        public int ttl() {
            return ttl;
        }

        /** IPv4 TOS or IPv6 traffic class as received, or -1 when unknown. */
        public int tos() {
            return tos;
        }

        /** The datagram was longer than the receive buffer and was cut. */
        public boolean truncated() {
            return truncated;
        }

        public InetSocketAddress sender() {
            return sender;
        }
    }

    @FunctionalInterface
    public interface Receiver {
        /** {@code data} holds the datagram (readerIndex 0); it may be changed in place and sent back. */
        void received(ByteBuf data, Received info);
    }

    private final int fd;
    private final boolean ipv6;
    private final FileDescriptor descriptor;
    private final EventLoop loop;
    private final Receiver receiver;
    private final ByteBuffer rxBuffer;
    private final ByteBuf rx;
    private final ByteBuffer meta = NativeUdp.newMeta();
    private final ByteBuffer to = NativeUdp.newMeta();
    private final ByteBuffer txScratch;
    private final Received received = new Received();
    private final byte[] lastAddress = new byte[16];
    private int lastFamily;
    private int lastPort = -1;
    private InetSocketAddress lastSender;
    private final ByteBuffer txMeta = NativeUdp.newMeta();
    private boolean txTimestamps;
    private IoRegistration registration;
    private volatile boolean closed;
    private long sendErrors;

    private NativeDatagramSocket(int fd, boolean ipv6, EventLoop loop, int maxDatagram, Receiver receiver) {
        this.fd = fd;
        this.ipv6 = ipv6;
        this.descriptor = new FileDescriptor(fd);
        this.loop = loop;
        this.receiver = receiver;
        // One byte over the largest datagram wanted, so that a longer one shows as longer.
        this.rxBuffer = ByteBuffer.allocateDirect(maxDatagram + 1);
        this.rx = Unpooled.wrappedBuffer(rxBuffer);
        this.txScratch = ByteBuffer.allocateDirect(maxDatagram + 1);
    }

    /** True when this loop can drive a native socket (an epoll loop and a loaded shim). */
    public static boolean usableOn(EventLoop loop) {
        return NativeUdp.available() && loop instanceof IoEventLoop io && io.isCompatible(EpollIoHandle.class);
    }

    /**
     * Opens a socket on {@code loop}, bound to {@code bind} (null: any address, any port) and, if
     * {@code connect} is given, connected to it. Call from any thread but the loop's own.
     *
     * @throws UncheckedIOException when the socket cannot be opened, bound or connected
     */
    public static NativeDatagramSocket open(EventLoop loop, InetSocketAddress bind, InetSocketAddress connect,
            int maxDatagram, Receiver receiver) {
        if (!usableOn(loop)) {
            throw new IllegalStateException("native UDP sockets need an epoll event loop and the native shim: "
                    + (NativeUdp.available() ? "this loop is not epoll" : NativeUdp.unavailableReason()));
        }
        boolean ipv6 = wantsIpv6(bind, connect);
        int fd = NativeUdp.open0(ipv6);
        try {
            NativeUdp.check(fd, "cannot open a UDP socket");
            if (bind != null) {
                NativeUdp.check(NativeUdp.bind0(fd, ipv6, rawAddress(bind), bind.getPort()), "cannot bind to " + bind);
            }
            if (connect != null) {
                NativeUdp.check(NativeUdp.connect0(fd, ipv6, rawAddress(connect), connect.getPort()),
                        "cannot connect to " + connect);
            }
        } catch (IOException e) {
            if (fd >= 0) {
                NativeUdp.close0(fd);
            }
            throw new UncheckedIOException(e.getMessage(), e);
        }
        NativeDatagramSocket socket = new NativeDatagramSocket(fd, ipv6, loop, maxDatagram, receiver);
        try {
            IoRegistration reg = ((IoEventLoop) loop).register(socket).get();
            Runnable watch = () -> {
                socket.registration = reg;
                reg.submit(EpollIoOps.EPOLLIN);
            };
            if (loop.inEventLoop()) {
                watch.run();
            } else {
                loop.submit(watch).get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            socket.close();
            throw new IllegalStateException("interrupted while registering a UDP socket", e);
        } catch (ExecutionException e) {
            socket.close();
            throw new IllegalStateException("cannot register a UDP socket with the event loop: " + e.getCause(), e.getCause());
        }
        return socket;
    }

    /** IPv6 (dual stack) unless both ends are IPv4; an IPv4 target needs an IPv4 socket to connect. */
    private static boolean wantsIpv6(InetSocketAddress bind, InetSocketAddress connect) {
        if (connect != null) {
            return connect.getAddress() instanceof Inet6Address;
        }
        if (bind == null || bind.getAddress() == null) {
            return false;
        }
        InetAddress a = bind.getAddress();
        if (a instanceof Inet4Address) {
            return false;
        }
        return true; // an IPv6 or dual-stack wildcard ("::")
    }

    private static byte[] rawAddress(InetSocketAddress a) {
        if (a.isUnresolved()) {
            throw new IllegalArgumentException("unresolved address " + a);
        }
        return a.getAddress().getAddress();
    }

    public EventLoop eventLoop() {
        return loop;
    }

    public int localPort() {
        return NativeUdp.localPort0(fd);
    }

    /** Sends failed since open (full socket buffer, unreachable peer...). */
    public long sendErrors() {
        return sendErrors;
    }

    /** Sets the TOS / traffic class (DSCP &lt;&lt; 2 | ECN) of every datagram sent from now on. */
    public void setTos(int tos) throws IOException {
        NativeUdp.check(NativeUdp.setTos0(fd, ipv6, tos), "cannot set IP TOS " + tos);
    }

    /**
     * Asks the kernel to timestamp every datagram as it enters the device's queue (before any local
     * queueing, after the send call's own path), for {@link #sendTimestamped}. On the loop. Returns
     * false where the kernel refuses (e.g. under qemu-user); sends then carry no kernel time.
     */
    public boolean enableTxTimestamps() {
        int r = NativeUdp.enableTxTimestamps0(fd);
        if (r < 0) {
            log.debug("no transmit timestamps on this socket: {}", NativeUdp.strerror0(-r));
            return false;
        }
        txTimestamps = true;
        return true;
    }

    /**
     * {@link #send}s, then reads the kernel's transmit timestamp of that datagram, which the kernel
     * takes inside the send call: the one found between {@code beforeEpochNanos} (the wall clock
     * read just before the call) and the wall clock read just after it. Returns that time (ns since
     * 1970), -1 when there is none (not enabled, not taken yet, or outside the call: a route that
     * queued the packet for address resolution, a clock step), or -2 when the send failed.
     */
    public long sendTimestamped(ByteBuf data, InetSocketAddress recipient, long beforeEpochNanos) {
        if (!send(data, recipient)) {
            return -2;
        }
        if (!txTimestamps) {
            return -1;
        }
        Instant after = Instant.now();
        long afterEpochNanos = after.getEpochSecond() * 1_000_000_000L + after.getNano();
        long found = -1;
        for (int i = 0; i < READS_PER_EVENT; i++) { // stale ones (none expected) are read and dropped
            int r = NativeUdp.recvTxTimestamp0(fd, txMeta);
            if (r < 0) {
                break;
            }
            if (r == 1) {
                long t = txMeta.getLong(NativeUdp.META_RX_SEC) * 1_000_000_000L + txMeta.getLong(NativeUdp.META_RX_NSEC);
                if (t >= beforeEpochNanos && t <= afterEpochNanos) {
                    found = t;
                }
            }
        }
        return found;
    }

    /** Empties the error queue of transmit timestamps that came too late to be used. */
    private void drainTxTimestamps() {
        for (int i = 0; i < READS_PER_EVENT && NativeUdp.recvTxTimestamp0(fd, txMeta) >= 0; i++) {
            // dropped: a timestamp not read within its send call cannot be matched with certainty
        }
    }

    /**
     * Sends the readable bytes of {@code data} to {@code recipient}, or to the connected peer when
     * it is null. On the loop. Returns false (and counts) when the kernel refused the datagram.
     */
    public boolean send(ByteBuf data, InetSocketAddress recipient) {
        int length = data.readableBytes();
        ByteBuffer nio;
        int offset;
        if (data.isDirect() && data.nioBufferCount() == 1) {
            nio = data.internalNioBuffer(data.readerIndex(), length);
            offset = nio.position();
        } else {
            txScratch.clear();
            data.getBytes(data.readerIndex(), txScratch.limit(length));
            nio = txScratch;
            offset = 0;
        }
        ByteBuffer peer = null;
        if (recipient != null) {
            peer = to;
            byte[] raw = recipient.getAddress().getAddress();
            to.putInt(NativeUdp.META_FAMILY, raw.length == 4 ? 4 : 6);
            to.putInt(NativeUdp.META_PORT, recipient.getPort());
            for (int i = 0; i < raw.length; i++) {
                to.put(NativeUdp.META_ADDR + i, raw[i]);
            }
        }
        int n = NativeUdp.send0(fd, ipv6, nio, offset, length, peer);
        if (n < 0) {
            sendErrors++;
            if (log.isDebugEnabled()) {
                log.debug("UDP send to {} failed: {}", recipient, NativeUdp.strerror0(-n));
            }
            return false;
        }
        return true;
    }

    @Override
    public FileDescriptor fd() {
        return descriptor;
    }

    @Override
    public void handle(IoRegistration reg, IoEvent event) {
        EpollIoOps ops = ((EpollIoEvent) event).ops();
        if (txTimestamps && ops.contains(EpollIoOps.EPOLLERR)) {
            drainTxTimestamps(); // else a non-empty error queue keeps epoll reporting EPOLLERR
        }
        if (ops.contains(EpollIoOps.EPOLLIN) || ops.contains(EpollIoOps.EPOLLERR)) {
            readWaiting();
        }
    }

    private void readWaiting() {
        for (int i = 0; i < READS_PER_EVENT && !closed; i++) {
            int n = NativeUdp.recv0(fd, rxBuffer, 0, rxBuffer.capacity(), meta);
            long readNanos = System.nanoTime();
            if (n < 0) {
                if (-n == NativeUdp.EAGAIN) {
                    return;
                }
                // e.g. ECONNREFUSED after an ICMP port unreachable on a connected socket: the
                // packets concerned time out as lost, which is what they are.
                log.debug("UDP receive error: {}", NativeUdp.strerror0(-n));
                continue;
            }
            Instant wall = Instant.now();
            Received r = received;
            r.readNanos = readNanos;
            r.readEpochNanos = wall.getEpochSecond() * 1_000_000_000L + wall.getNano();
            long sec = meta.getLong(NativeUdp.META_RX_SEC);
            r.kernelEpochNanos = sec < 0 ? -1 : sec * 1_000_000_000L + meta.getLong(NativeUdp.META_RX_NSEC);
            r.ttl = meta.getInt(NativeUdp.META_TTL);
            r.tos = meta.getInt(NativeUdp.META_TOS);
            r.truncated = (meta.getInt(NativeUdp.META_FLAGS) & NativeUdp.FLAG_TRUNCATED) != 0;
            r.sender = sender();
            rx.setIndex(0, n);
            try {
                receiver.received(rx, r);
            } catch (RuntimeException e) {
                log.warn("UDP receiver failed", e);
            }
        }
    }

    /** The peer of the datagram just read; the previous object again when it is the same peer. */
    private InetSocketAddress sender() {
        int family = meta.getInt(NativeUdp.META_FAMILY);
        int port = meta.getInt(NativeUdp.META_PORT);
        int len = family == 6 ? 16 : 4;
        boolean same = family == lastFamily && port == lastPort;
        for (int i = 0; i < len && same; i++) {
            same = lastAddress[i] == meta.get(NativeUdp.META_ADDR + i);
        }
        if (same && lastSender != null) {
            return lastSender;
        }
        byte[] raw = new byte[len];
        for (int i = 0; i < len; i++) {
            raw[i] = meta.get(NativeUdp.META_ADDR + i);
        }
        try {
            lastSender = new InetSocketAddress(InetAddress.getByAddress(raw), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("impossible: a raw address of " + len + " bytes", e);
        }
        Arrays.fill(lastAddress, (byte) 0);
        System.arraycopy(raw, 0, lastAddress, 0, len);
        lastFamily = family;
        lastPort = port;
        return lastSender;
    }

    /** Stops watching the socket and closes it. Any thread; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (loop.inEventLoop()) {
            closeOnLoop();
        } else {
            try {
                loop.submit(this::closeOnLoop).awaitUninterruptibly();
            } catch (java.util.concurrent.RejectedExecutionException e) {
                closeOnLoop(); // the loop is gone, and its epoll set with it
            }
        }
    }

    private synchronized void closeOnLoop() {
        if (registration != null) {
            registration.cancel();
            registration = null;
        }
        if (descriptor.isOpen()) {
            try {
                descriptor.close();
            } catch (IOException e) {
                log.debug("closing UDP socket: {}", e.toString());
            }
        }
    }
}
