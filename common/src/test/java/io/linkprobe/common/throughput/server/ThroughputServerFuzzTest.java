package io.linkprobe.common.throughput.server;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.linkprobe.common.testing.fuzz.EmbeddedTcpChannel;
import io.linkprobe.common.testing.fuzz.FuzzInput;
import io.linkprobe.common.testing.fuzz.Fuzzing;
import io.linkprobe.common.testing.fuzz.LeakReports;
import io.linkprobe.common.testing.fuzz.TrackingAllocator;
import io.linkprobe.common.throughput.protocol.ThroughputPipelines;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;

/**
 * The throughput responder's port (9863) against anyone who can connect to it: up to four
 * connections, each a control or data connection or garbage, sending any bytes in any split, closing
 * or going quiet at any time. Everything the server parses is on this path: the preamble
 * ({@link ConnectionSniffer}), the control framer and codec, the HELLO's judgement
 * ({@link ServerControlHandler}), the data header and attachment, and an accepted test's course
 * ({@link ServerSession}) with its timers.
 *
 * <p>Never seen: an exception that reaches the end of a pipeline (each handler's refusal is to
 * answer REJECT/BUSY and close), a leaked buffer (the shared payload included), and a test slot still
 * held once every connection is gone and every timer has run (a slot leaked by hostile input is a
 * responder that answers BUSY forever).
 *
 * <pre>
 * input := options u8 (bit 0 keys required, bit 1 two tests at once) op*
 * op    := control u8: bits 0-1 connection, bits 2-3 what:
 *          0 bytes arrive | length u16 | bytes   (on a new connection if the server closed it)
 *          1 the client closes
 *          2 time passes | milliseconds u16
 *          3 the client half-closes (FIN)
 * </pre>
 */
class ThroughputServerFuzzTest {
    private static final int CONNECTIONS = 4;
    private static final KeyLookup ONE_SITE = keyId -> keyId.equals("site-a") ? List.of(new byte[32]) : List.of();

    static {
        LeakReports.install();
    }

    @FuzzTest(maxDuration = Fuzzing.DURATION)
    void connections(byte[] bytes) {
        FuzzInput in = new FuzzInput(bytes);
        int options = in.u8();
        // Small limits keep an accepted download to one write of the payload on an embedded channel.
        ServerOptions opts = ServerOptions.defaults().withLimits(Duration.ofSeconds(2), 48 * 1024)
                .withMaxConcurrentTests((options & 2) != 0 ? 2 : 1);
        if ((options & 1) != 0) {
            opts = opts.withKeys(ONE_SITE);
        }
        ThroughputServer server = new ThroughputServer(opts);
        TrackingAllocator alloc = new TrackingAllocator();
        EmbeddedTcpChannel[] conns = new EmbeddedTcpChannel[CONNECTIONS];
        List<EmbeddedTcpChannel> all = new ArrayList<>(); // closed ones too: their loops still run timers
        try {
            while (in.hasMore()) {
                int control = in.u8();
                int c = control & 3;
                if (conns[c] == null || !conns[c].isOpen()) { // new, or the server closed it: connect (again)
                    conns[c] = connect(server, alloc, c);
                    all.add(conns[c]);
                }
                switch ((control >> 2) & 3) {
                    case 0 -> conns[c].writeInbound(alloc.wrap(in.chunk()));
                    case 1 -> conns[c].close();
                    case 2 -> advance(all, in.u16());
                    default -> {
                        conns[c].shutdownInput();
                        conns[c].pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
                    }
                }
                settle(all);
            }
            all.forEach(EmbeddedTcpChannel::close);
            settle(all);
            advance(all, 60_000); // every timer of a test (attach, duration, drain, linger) is due
            settle(all);
            if (server.status().runningTests() != 0) {
                throw new AssertionError("a test slot is still held after every connection closed: " + server.status());
            }
            for (EmbeddedTcpChannel ch : all) {
                ch.checkException();
                ch.finishAndReleaseAll();
            }
            alloc.assertAllReleased();
            if (server.payload().refCnt() != 1) {
                throw new AssertionError("the shared payload's refCnt is " + server.payload().refCnt() + ", not 1");
            }
            LeakReports.assertNone();
        } finally {
            server.payload().release();
        }
    }

    private static EmbeddedTcpChannel connect(ThroughputServer server, TrackingAllocator alloc, int index) {
        EmbeddedTcpChannel ch = new EmbeddedTcpChannel(alloc, new InetSocketAddress("198.18.0." + (index + 1), 50000));
        ch.freezeTime();
        ThroughputPipelines.serverConnection(ch.pipeline(), new ConnectionSniffer(server));
        return ch;
    }

    private static void advance(List<EmbeddedTcpChannel> all, int millis) {
        for (EmbeddedTcpChannel ch : all) {
            ch.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        }
    }

    /** Runs every channel's tasks and timers until none is left (one channel's test runs on another's loop). */
    private static void settle(List<EmbeddedTcpChannel> all) {
        for (int round = 0; round < 100; round++) {
            boolean ran = false;
            for (EmbeddedTcpChannel ch : all) {
                ran |= ch.hasPendingTasks();
                ch.runPendingTasks();
                ch.runScheduledPendingTasks();
                for (Object out; (out = ch.readOutbound()) != null; ) {
                    ReferenceCountUtil.release(out);
                    ran = true;
                }
            }
            if (!ran) {
                return;
            }
        }
        throw new AssertionError("tasks still pending after 100 rounds: " + all);
    }

    @AfterAll
    static void noLeakReportedByNetty() throws InterruptedException {
        LeakReports.collectAndAssertNone();
    }
}
