package io.linkprobe.common.stamp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A UDP relay between one STAMP sender and a reflector that misbehaves on purpose: it drops chosen
 * requests on the way out (by sender sequence number, bytes 0-3) and chosen replies on the way
 * back (by Session-Sender sequence number, bytes 24-27), duplicates replies, and holds a reply back
 * until the next one has passed (reordering).
 */
final class UdpRelay implements AutoCloseable {
    final Set<Long> dropForward = ConcurrentHashMap.newKeySet();
    final Set<Long> dropBackward = ConcurrentHashMap.newKeySet();
    final Set<Long> duplicateBackward = ConcurrentHashMap.newKeySet();
    final Set<Long> holdBackward = ConcurrentHashMap.newKeySet();
    final AtomicLong forwarded = new AtomicLong();
    final AtomicLong returned = new AtomicLong();

    private final DatagramChannel front;
    private final DatagramChannel back;
    private final Thread out;
    private final Thread in;
    private volatile SocketAddress client;

    UdpRelay(InetSocketAddress reflector) throws IOException {
        front = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        back = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0)).connect(reflector);
        out = new Thread(this::forwardLoop, "relay-out");
        in = new Thread(this::backwardLoop, "relay-in");
        out.setDaemon(true);
        in.setDaemon(true);
        out.start();
        in.start();
    }

    InetSocketAddress address() throws IOException {
        return (InetSocketAddress) front.getLocalAddress();
    }

    private void forwardLoop() {
        ByteBuffer buf = ByteBuffer.allocate(65536);
        try {
            while (true) {
                buf.clear();
                client = front.receive(buf);
                buf.flip();
                if (!dropForward.contains(buf.getInt(0) & 0xFFFF_FFFFL)) {
                    back.write(buf);
                    forwarded.incrementAndGet();
                }
            }
        } catch (ClosedChannelException e) {
            // closed by close()
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void backwardLoop() {
        ByteBuffer buf = ByteBuffer.allocate(65536);
        ByteBuffer held = null;
        try {
            while (true) {
                buf.clear();
                back.read(buf);
                buf.flip();
                long senderSeq = buf.getInt(24) & 0xFFFF_FFFFL;
                if (dropBackward.contains(senderSeq)) {
                    continue;
                }
                if (held == null && holdBackward.remove(senderSeq)) {
                    held = ByteBuffer.allocate(buf.remaining()).put(buf).flip();
                    continue;
                }
                send(buf);
                if (duplicateBackward.contains(senderSeq)) {
                    send(buf.rewind());
                }
                if (held != null) {
                    send(held);
                    held = null;
                }
            }
        } catch (ClosedChannelException e) {
            // closed by close()
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void send(ByteBuffer b) throws IOException {
        front.send(b, client);
        returned.incrementAndGet();
    }

    @Override
    public void close() throws IOException {
        front.close();
        back.close();
    }
}
