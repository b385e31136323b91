package io.linkprobe.common.stamp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.linkprobe.common.stats.Rfc3550Jitter;
import io.linkprobe.common.testing.fuzz.FuzzInput;
import io.linkprobe.common.testing.fuzz.Fuzzing;
import io.linkprobe.common.testing.fuzz.LeakReports;
import io.linkprobe.common.testing.fuzz.TrackingAllocator;
import io.linkprobe.common.wire.LatencyWindow;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;

/**
 * The Session-Sender against a hostile or broken reflector: whatever datagrams come back (any
 * length, any sequence numbers, duplicated, reordered, forged timestamps), {@link ReplyDecoder} and
 * the sender's bookkeeping ({@link SenderSession}) must not throw or leak, every window must add up
 * ({@code sent == received + lost forward + lost backward}, nothing negative, no NaN), and once
 * every packet has timed out each packet sent has been counted in exactly one window.
 *
 * <pre>
 * input := options u8 (bit 0 authenticated, bit 1 one-way delays wanted, bit 2 a 16-slot ring,
 *                     bit 3 the socket gives kernel receive times) op*
 * op    := 0 send | count u8                      (count + 1 packets go out now)
 *        | 1 reply | control u8 (bit 0 sign it; bits 1-7 the kernel's time, that many 100 µs
 *                    before the read) | length u16 | bytes
 *        | 2 time passes | milliseconds u16 | wall-clock step u8 ((step - 128) ms; 128 none)
 *                   (then the sender's timer runs)
 *        | 3 the window ends
 *        | 4 the kernel stamps the last packet's transmission | delay u16 (ms after T1; any
 *                   value: a stepped wall clock makes it wrong)
 * </pre>
 */
class ReplyFuzzTest {
    private static final InetSocketAddress SELF = new InetSocketAddress("127.0.0.1", 40000);
    private static final InetSocketAddress REFLECTOR = new InetSocketAddress("198.18.0.1", 862);
    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(3);
    private static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int ERROR_ESTIMATE = ClockSync.UNSYNCHRONIZED.encode();
    /** Enough to wrap the small ring many times; more only slows the fuzzer down. */
    private static final int MAX_PACKETS = 2048;

    static {
        LeakReports.install();
    }

    @FuzzTest(maxDuration = Fuzzing.DURATION)
    void replies(byte[] bytes) {
        FuzzInput in = new FuzzInput(bytes);
        int options = in.u8();
        boolean authenticated = (options & 1) != 0;
        StampMode mode = authenticated ? StampMode.AUTHENTICATED : StampMode.UNAUTHENTICATED;
        StampAuth.Signer signer = ReflectorFuzzTest.KEY.newSigner();
        TrackingAllocator alloc = new TrackingAllocator();
        EmbeddedChannel ch = new EmbeddedChannel(false, false,
                new ReplyDecoder(mode, authenticated ? ReflectorFuzzTest.KEY : null, (options & 2) != 0));
        ch.config().setAllocator(alloc);
        ReflectorFuzzTest.register(ch);
        SenderSession session = new SenderSession(TIMEOUT_NANOS, (options & 4) != 0 ? 16 : SenderSession.DEFAULT_CAPACITY, 0);
        Rfc3550Jitter jitter = new Rfc3550Jitter();
        boolean kernelTimes = (options & 8) != 0;
        long now = 1_000_000_000L;
        long wallMinusMono = 1_767_225_600_000_000_000L; // the wall clock reads 2026-01-01 at the start
        long counted = 0;
        int sentTotal = 0;
        while (in.hasMore()) {
            switch (in.u8() & 7) {
                case 0 -> {
                    for (int n = in.u8() + 1; n > 0 && sentTotal < MAX_PACKETS; n--, sentTotal++) {
                        session.sent(now, now + wallMinusMono, mode.baseSize);
                    }
                }
                case 1 -> {
                    int control = in.u8();
                    byte[] datagram = in.chunk();
                    ByteBuf buf = alloc.wrap(datagram);
                    if ((control & 1) != 0 && datagram.length >= StampMode.AUTHENTICATED.baseSize) {
                        signer.sign(buf, 0);
                    }
                    ch.writeInbound(new DatagramPacket(buf, SELF, REFLECTOR));
                    long wall = now + wallMinusMono;
                    long kernel = kernelTimes ? wall - (control >> 1) * 100_000L : -1;
                    for (StampReply r; (r = ch.readInbound()) != null; ) {
                        long rtt = session.replied(r.packet(), now, wall, kernel,
                                r.wantOneWay() ? used -> ntp(used ? kernel : wall) : null, true, ERROR_ESTIMATE);
                        if (rtt < -1) {
                            throw new AssertionError("negative RTT " + rtt);
                        }
                    }
                }
                case 2 -> {
                    now += in.u16() * 1_000_000L;
                    wallMinusMono += (in.u8() - 128) * 1_000_000L;
                    session.tick(now, false, GRACE_NANOS);
                }
                case 4 -> session.transmittedLast(in.u16() * 1_000_000L, now + in.u16() * 1_000_000L);
                default -> counted += endWindow(session, jitter, now);
            }
        }
        // Every packet is past its timeout, also one whose send a transmit stamp moved later (by
        // less than the timeout: the sender takes no later stamp).
        now += 2 * TIMEOUT_NANOS + GRACE_NANOS + 1;
        session.tick(now, true, GRACE_NANOS);
        counted += endWindow(session, jitter, now);
        if (!session.allDecided() || counted != session.nextSeq()) {
            throw new AssertionError(session.nextSeq() + " packets sent, " + counted + " counted in windows");
        }
        ch.checkException();
        if (ch.finishAndReleaseAll()) {
            throw new AssertionError("messages left in the channel");
        }
        alloc.assertAllReleased();
        LeakReports.assertNone();
    }

    private static long ntp(long epochNanos) {
        return NtpTimestamp.fromEpoch(Math.floorDiv(epochNanos, 1_000_000_000L), (int) Math.floorMod(epochNanos, 1_000_000_000L));
    }

    /** Builds the window and checks that it adds up; returns its packet count. */
    private static long endWindow(SenderSession session, Rfc3550Jitter jitter, long nowNanos) {
        LatencyWindow w = session.swapWindow(nowNanos / 1_000_000).build("hub", nowNanos / 1_000_000, jitter);
        if (w.sent() != w.received() + w.lostForward() + w.lostBackward() || w.received() < 0 || w.lostForward() < 0
                || w.lostBackward() < 0 || w.duplicates() < 0 || w.reordered() < 0 || w.rttMicros().length != w.received()) {
            throw new AssertionError("window does not add up: " + w);
        }
        for (int rtt : w.rttMicros()) {
            if (rtt < 0) {
                throw new AssertionError("negative RTT in window: " + rtt);
            }
        }
        double[] figures = {w.jitterMicros(), w.rtt() == null ? 0 : w.rtt().min(), w.rtt() == null ? 0 : w.rtt().max(),
            w.rtt() == null ? 0 : w.rtt().mean(), w.ipdvP99Micros() == null ? 0 : w.ipdvP99Micros()};
        for (double f : figures) {
            if (Double.isNaN(f) || Double.isInfinite(f)) {
                throw new AssertionError("window figure not a number: " + w);
            }
        }
        return w.sent();
    }

    @AfterAll
    static void noLeakReportedByNetty() throws InterruptedException {
        LeakReports.collectAndAssertNone();
    }
}
