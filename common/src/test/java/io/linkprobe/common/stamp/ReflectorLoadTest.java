package io.linkprobe.common.stamp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.common.net.Transports;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * How many requests per second one reflector socket answers, over many sessions, and how many bytes
 * its event loop allocates per reply. Run with
 * {@code mvn -q -pl common -am verify -Dtest=ReflectorLoadTest -Dsurefire.excludedGroups= -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("load")
class ReflectorLoadTest {
    static final int CLIENTS = 4;
    static final int SSIDS_PER_CLIENT = 2_500; // 10,000 sessions
    static final int WINDOW = 32;              // requests in flight per client socket
    static final long SECONDS = 5;

    @Test
    void reflectorThroughputAndAllocationPerReply() throws Exception {
        EventLoopGroup group = Transports.group(1, "stamp-load");
        AtomicBoolean running = new AtomicBoolean(true);
        LongAdder replies = new LongAdder();
        try (StampReflector reflector = StampReflector.start(group, new InetSocketAddress("127.0.0.1", 0), ReflectorOptions.defaults())) {
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                DatagramChannel ch = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0)).connect(reflector.localAddress());
                Thread t = new Thread(() -> blast(ch, running, replies), "load-client-" + c);
                t.setDaemon(true);
                clients.add(t);
                t.start();
            }
            Thread.sleep(1_000); // warm-up: JIT, session creation
            com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long loopThread = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("stamp-load")).findFirst().orElseThrow().getId();
            long allocatedBefore = mx.getThreadAllocatedBytes(loopThread);
            long cpuBefore = mx.getThreadCpuTime(loopThread);
            long reflectedBefore = reflector.reflectedTotal();
            long start = System.nanoTime();
            Thread.sleep(SECONDS * 1_000);
            long reflected = reflector.reflectedTotal() - reflectedBefore;
            double elapsed = (System.nanoTime() - start) / 1e9;
            long allocated = mx.getThreadAllocatedBytes(loopThread) - allocatedBefore;
            long cpu = mx.getThreadCpuTime(loopThread) - cpuBefore;
            running.set(false);
            System.out.printf("reflector (%s): %d sessions, %.0f replies/s, %.1f µs CPU and %.0f bytes allocated per reply"
                    + " on the event loop; malformed %d, dropped %d%n",
                    Transports.name(), reflector.activeSessions(), reflected / elapsed, cpu / 1e3 / reflected,
                    (double) allocated / reflected, reflector.malformedTotal(), reflector.droppedTotal());
            assertTrue(reflected > 0);
            for (Thread t : clients) {
                t.join(2_000);
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static void blast(DatagramChannel ch, AtomicBoolean running, LongAdder replies) {
        ByteBuffer out = ByteBuffer.allocate(44);
        ByteBuffer in = ByteBuffer.allocate(2048);
        long seq = 0;
        try (ch; Selector selector = Selector.open()) {
            ch.configureBlocking(false);
            ch.register(selector, SelectionKey.OP_READ);
            for (int i = 0; i < WINDOW; i++) {
                send(ch, out, seq++);
            }
            while (running.get()) {
                if (selector.select(50) == 0) {
                    send(ch, out, seq++); // replies were lost: keep the window full
                    continue;
                }
                selector.selectedKeys().clear();
                in.clear();
                while (ch.read(in) > 0) { // blocks in select, never spins: the reflector needs the CPU
                    replies.increment();
                    send(ch, out, seq++);
                    in.clear();
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void send(DatagramChannel ch, ByteBuffer out, long seq) throws IOException {
        out.clear();
        out.putInt((int) seq).putLong(NtpTimestamp.now()).putShort((short) 0x12A4)
                .putShort((short) (1 + seq % SSIDS_PER_CLIENT)).put(new byte[28]).flip();
        ch.write(out);
    }
}
