package io.linkprobe.common.stamp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.linkprobe.common.net.Transports;
import io.linkprobe.common.wire.LatencyWindow;
import io.netty.channel.EventLoopGroup;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interop with an independent STAMP/TWAMP-Light implementation, nokia/twampy (BSD-3-Clause, pure
 * Python, not packaged by Debian or reachable here from PyPI): its sender against our reflector and
 * our sender against its reflector, each through {@link UdpRelay} dropping chosen packets so loss is
 * known exactly, with the packets on the wire read back by Wireshark's TWAMP-Test dissector.
 *
 * <p>Needs {@code LINKPROBE_TWAMPY} naming a twampy checkout (the directory holding
 * {@code src/twampy}), Python 3.11+, tshark and root (to capture on lo); skipped, saying which is
 * missing, otherwise. See lab/README.md.
 */
@Tag("lab")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class TwampyInteropTest {
    static final Pattern REPLY = Pattern.compile("rseq=(\\d+) sseq=(\\d+)");
    static EventLoopGroup group;

    @BeforeAll
    static void startGroup() {
        group = Transports.group(1, "twampy-interop");
    }

    @AfterAll
    static void stopGroup() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    static Path twampy() {
        String dir = System.getenv("LINKPROBE_TWAMPY");
        assumeTrue(dir != null && Files.isDirectory(Path.of(dir, "src", "twampy")),
                "LINKPROBE_TWAMPY does not name a nokia/twampy checkout (with src/twampy): skipping the interop test");
        assumeTrue(succeeds(List.of("python3", "-c", "import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)")),
                "twampy needs Python 3.11 or later: skipping the interop test");
        assumeTrue(succeeds(List.of("tshark", "-v")), "tshark is not installed: skipping the interop test");
        assumeTrue("0".equals(run(List.of("id", "-u")).trim()), "not root: cannot capture on lo, skipping the interop test");
        return Path.of(dir, "src");
    }

    /**
     * twampy's sender, 14-byte TWAMP-Light requests from fixed port P, twice (as a user re-running
     * it would): each request gets the 44-byte base packet back with the request's TTL, the
     * reflector's count skips exactly the requests the relay dropped, and restarts with the run.
     */
    @Test
    void twampySenderAgainstOurReflectorThroughADroppingRelay(@TempDir Path tmp) throws Exception {
        Path src = twampy();
        try (StampReflector reflector = StampReflector.start(group, new InetSocketAddress("127.0.0.1", 0), ReflectorOptions.defaults());
                UdpRelay relay = new UdpRelay(reflector.localAddress());
                Capture capture = Capture.start(tmp.resolve("reflector.pcap"), reflector.localPort())) {
            relay.dropForward.addAll(List.of(3L, 7L));
            relay.dropBackward.add(5L);
            int port = freeUdpPort();
            Map<Long, Long> first = runTwampySender(src, relay.address(), port, 30);
            relay.dropForward.clear();
            relay.dropBackward.clear();
            Map<Long, Long> second = runTwampySender(src, relay.address(), port, 10);

            assertEquals(27, first.size(), "replies twampy got: all but 3, 5 and 7: " + first);
            for (Map.Entry<Long, Long> e : first.entrySet()) {
                long s = e.getKey();
                long forwardLostBefore = (s > 3 ? 1 : 0) + (s > 7 ? 1 : 0);
                assertEquals(s - forwardLostBefore, e.getValue(), "reflector sequence for sender sequence " + s);
            }
            assertEquals(10, second.size());
            second.forEach((s, r) -> assertEquals(s, r, "the second run from port " + port + " restarts the count"));
            assertEquals(28 + 10, reflector.reflectedTotal(), "the reflector saw all but the two dropped on the way out");
            assertEquals(1, reflector.sessionRestartsTotal());

            List<String[]> replies = capture.stop("udp.srcport==" + reflector.localPort(), reflector.localPort());
            assertEquals(38, replies.size(), "replies on the wire");
            String ttl = reflector.timestamps().equals("kernel") ? "64" : "0";
            for (String[] f : replies) {
                assertEquals("52", f[0], "UDP length of a 44-byte reply to a 14-byte request: " + String.join("|", f));
                assertEquals(ttl, f[3], "Ses-Sender TTL");
            }
        }
    }

    /**
     * Our sender against twampy's reflector (stateful: its own count per sender): 38-byte replies
     * (no TTL) are taken, and the relay's drops come out exactly as forward and backward loss.
     */
    @Test
    void ourSenderAgainstTwampysReflectorThroughADroppingRelay(@TempDir Path tmp) throws Exception {
        Path src = twampy();
        int port = freeUdpPort();
        Process responder = python(src, List.of("responder", "127.0.0.1:" + port, "-v"), tmp.resolve("responder.log"));
        try (UdpRelay relay = new UdpRelay(new InetSocketAddress("127.0.0.1", port));
                Capture capture = Capture.start(tmp.resolve("twampy.pcap"), port)) {
            Thread.sleep(1000); // twampy binds after Python has started
            relay.dropForward.addAll(List.of(3L, 7L));
            relay.dropBackward.add(5L);
            LatencyWindow w;
            try (StampSender sender = StampSender.open(group, relay.address(), SenderOptions.defaults()
                    .withSchedule(ProbeSchedule.PERIODIC).withMeanInterval(Duration.ofMillis(20)).withTimeout(Duration.ofSeconds(1)))) {
                w = sender.runCount(30, "twampy").toCompletableFuture().get(30, TimeUnit.SECONDS);
                assertEquals(0, sender.repliesTooShort() + sender.repliesMalformed(), "twampy's 38-byte replies are STAMP enough");
            }
            assertEquals(30, w.sent());
            assertEquals(27, w.received());
            assertEquals(2, w.lostForward(), "the two requests the relay dropped");
            assertEquals(1, w.lostBackward(), "the one reply the relay dropped");
            assertTrue(w.rtt().min() > 0, "RTT " + w.rtt());

            List<String[]> replies = capture.stop("udp.srcport==" + port, port);
            assertEquals(28, replies.size(), "twampy answered every request that reached it");
            for (int i = 0; i < replies.size(); i++) {
                String[] f = replies.get(i);
                assertEquals("46", f[0], "twampy's 38-byte reply: " + String.join("|", f));
                assertEquals(String.valueOf(i), f[1], "twampy's own sequence number");
            }
        } finally {
            responder.destroy();
            responder.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** Runs twampy's sender to the end; its replies as sender sequence to reflector sequence. */
    private static Map<Long, Long> runTwampySender(Path src, InetSocketAddress to, int fromPort, int count) throws Exception {
        Path log = Files.createTempFile("twampy-sender", ".log");
        try {
            Process p = python(src, List.of("sender", "127.0.0.1:" + to.getPort(), "127.0.0.1:" + fromPort,
                    "-c", Integer.toString(count), "-i", "20", "-v"), log);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "twampy sender did not finish");
            Map<Long, Long> replies = new TreeMap<>();
            for (String line : Files.readAllLines(log)) {
                Matcher m = REPLY.matcher(line);
                if (m.find()) {
                    replies.put(Long.parseLong(m.group(2)), Long.parseLong(m.group(1)));
                }
            }
            return replies;
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static Process python(Path src, List<String> args, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of("python3", "-m", "twampy"));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("PYTHONPATH", src.toString());
        return pb.start();
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** tshark on lo for one UDP port, decoded afterwards as TWAMP-Test. */
    static final class Capture implements AutoCloseable {
        private final Process tshark;
        private final Path file;

        private Capture(Process tshark, Path file) {
            this.tshark = tshark;
            this.file = file;
        }

        static Capture start(Path file, int port) throws Exception {
            Process p = new ProcessBuilder("tshark", "-i", "lo", "-f", "udp port " + port, "-w", file.toString())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            for (String line; System.nanoTime() < deadline && (line = err.readLine()) != null; ) {
                if (line.contains("Capturing on")) {
                    Thread.sleep(500); // the filter is attached just after the message
                    Thread drain = new Thread(() -> {
                        try {
                            err.lines().forEach(l -> { });
                        } catch (java.io.UncheckedIOException closed) {
                            // tshark was stopped
                        }
                    }, "tshark-stderr");
                    drain.setDaemon(true);
                    drain.start();
                    return new Capture(p, file);
                }
            }
            p.destroy();
            throw new AssertionError("tshark did not start capturing on lo");
        }

        /** Stops and returns, per packet matching {@code filter}: udp.length, seq, sender seq, sender TTL. */
        List<String[]> stop(String filter, int port) throws Exception {
            Thread.sleep(300);
            tshark.destroy();
            tshark.waitFor(10, TimeUnit.SECONDS);
            String out = run(List.of("tshark", "-r", file.toString(), "-d", "udp.port==" + port + ",twamp.test",
                    "-Y", filter, "-T", "fields", "-E", "separator=|", "-e", "udp.length", "-e", "twamp.test.seq_number",
                    "-e", "twamp.test.sender_seq_number", "-e", "twamp.test.sender_ttl"));
            List<String[]> rows = new ArrayList<>();
            out.lines().filter(l -> !l.isBlank()).forEach(l -> rows.add(l.split("\\|", -1)));
            return rows;
        }

        @Override
        public void close() {
            tshark.destroy();
        }
    }

    private static boolean succeeds(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static String run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            return out;
        } catch (IOException | InterruptedException e) {
            return "";
        }
    }
}
