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
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Wireshark's own TWAMP-Test dissector reads what we put on the wire. Needs tshark and root
 * (to capture on lo); skipped with a message otherwise.
 *
 * <p>Wireshark 4.0 decodes any packet of 41 bytes or more with the reflector layout (it has no
 * notion of direction for TWAMP-Light), so on our requests the SSID at bytes 14-15 shows as
 * {@code twamp.test.mbz1} and the reflector-only fields read as zero; on replies every field
 * lines up with its name.
 */
class StampTsharkTest {
    static final int SSID = 0x1234;
    static final int SIZE = 60;
    static final int COUNT = 5;
    static final String[] FIELDS = {
        "udp.srcport", "udp.dstport", "udp.length", "twamp.test.seq_number", "twamp.test.timestamp",
        "twamp.test.error_estimate", "twamp.test.mbz1", "twamp.test.receive_timestamp",
        "twamp.test.sender_seq_number", "twamp.test.sender_error_estimate", "twamp.test.mbz2",
        "twamp.test.sender_ttl", "twamp.test.padding",
    };
    static final DateTimeFormatter WIRESHARK_TIME =
            DateTimeFormatter.ofPattern("MMM d, yyyy HH:mm:ss.SSSSSSSSS 'UTC'", Locale.ENGLISH);

    @Test
    void wiresharkDecodesOurSequenceNumbersSsidAndTimestampsAsSent() throws Exception {
        assumeTrue(commandSucceeds("tshark", "-v"), "tshark is not installed: skipping the capture cross-check");
        assumeTrue("0".equals(output("id", "-u")), "not root: cannot capture on lo, skipping the tshark cross-check");

        EventLoopGroup group = Transports.group(1, "stamp-tshark");
        try (StampReflector reflector = StampReflector.start(group, new InetSocketAddress("127.0.0.1", 0), ReflectorOptions.defaults())) {
            int port = reflector.localPort();
            List<String> command = new ArrayList<>(List.of("tshark", "-l", "-i", "lo", "-f", "udp port " + port,
                    "-d", "udp.port==" + port + ",twamp.test", "-c", String.valueOf(2 * COUNT), "-a", "duration:30",
                    "-T", "fields", "-E", "separator=|"));
            for (String f : FIELDS) {
                command.add("-e");
                command.add(f);
            }
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.environment().put("TZ", "UTC");
            Process tshark = pb.start();
            try {
                CompletableFuture<List<String>> lines = CompletableFuture.supplyAsync(() -> readLines(tshark));
                assumeTrue(waitForCaptureStart(tshark), "tshark did not start capturing on lo within 15 s");
                Instant before = Instant.now();
                LatencyWindow w;
                try (StampSender sender = StampSender.open(group, reflector.localAddress(), SenderOptions.defaults()
                        .withSsid(SSID).withPacketSize(SIZE).withSchedule(ProbeSchedule.PERIODIC)
                        .withMeanInterval(Duration.ofMillis(20)))) {
                    w = sender.runCount(COUNT, "tshark").toCompletableFuture().get(15, TimeUnit.SECONDS);
                }
                Instant after = Instant.now();
                assertEquals(COUNT, w.received());
                List<String> captured = lines.get(30, TimeUnit.SECONDS);
                assertEquals(2 * COUNT, captured.size(), "captured: " + captured);
                // The native socket reads the request's real TTL (64 from a Linux sender on lo); the
                // Netty fallback cannot and says 0, "unknown".
                String ttl = reflector.timestamps().equals("kernel") ? "64" : "0";
                check(captured, port, before, after, ttl);
            } finally {
                tshark.destroy();
                tshark.waitFor(5, TimeUnit.SECONDS);
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static void check(List<String> captured, int port, Instant before, Instant after, String ttl) {
        int unsynchronized10ms = ClockSync.UNSYNCHRONIZED.encode();
        long request = 0;
        long reply = 0;
        for (String line : captured) {
            String[] f = line.split("\\|", -1);
            assertEquals(String.valueOf(8 + SIZE), f[2], "UDP length, both directions: " + line);
            assertEquals(String.valueOf(SSID), f[6], "SSID at bytes 14-15: " + line);
            assertEquals(String.valueOf(unsynchronized10ms), f[5], "error estimate: " + line);
            assertBetween(before, parse(f[4]), after, "timestamp: " + line);
            if (f[1].equals(String.valueOf(port))) { // request
                assertEquals(String.valueOf(request++), f[3], "sender sequence number: " + line);
                // bytes 41-43 are MBZ to Wireshark; then our Extra Padding TLV: flags 0, type 1, length 12
                assertTrue(f[12].startsWith("000000" + "0001000c"), "padding TLV: " + line);
            } else { // reply
                assertEquals(String.valueOf(port), f[0]);
                assertEquals(String.valueOf(reply), f[3], "reflector sequence number: " + line);
                assertEquals(String.valueOf(reply), f[8], "Session-Sender sequence number: " + line);
                assertEquals(String.valueOf(unsynchronized10ms), f[9], "Session-Sender error estimate: " + line);
                assertEquals("0", f[10], "MBZ: " + line);
                assertEquals(ttl, f[11], "Ses-Sender TTL: " + line);
                assertBetween(before, parse(f[7]), after, "receive timestamp: " + line);
                reply++;
            }
        }
        assertEquals(COUNT, request);
        assertEquals(COUNT, reply);
    }

    private static Instant parse(String wireshark) {
        return LocalDateTime.parse(wireshark.trim().replaceAll("\\s+", " "), WIRESHARK_TIME).toInstant(ZoneOffset.UTC);
    }

    private static void assertBetween(Instant lo, Instant t, Instant hi, String what) {
        // a millisecond of slack each side: Instant.now() and the packet's clock read are not the same read
        assertTrue(!t.isBefore(lo.minusMillis(1)) && !t.isAfter(hi.plusMillis(1)), what + " " + t + " not in [" + lo + ", " + hi + "]");
    }

    private static boolean waitForCaptureStart(Process tshark) throws IOException, InterruptedException {
        BufferedReader err = new BufferedReader(new InputStreamReader(tshark.getErrorStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        String line;
        while (System.nanoTime() < deadline && (line = err.readLine()) != null) {
            if (line.contains("Capturing on")) {
                Thread.sleep(500); // the filter is attached just after the message
                Thread drain = new Thread(() -> err.lines().forEach(l -> { }), "tshark-stderr");
                drain.setDaemon(true);
                drain.start();
                return true;
            }
        }
        return false;
    }

    private static List<String> readLines(Process p) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            List<String> lines = new ArrayList<>();
            for (String line; (line = r.readLine()) != null; ) {
                lines.add(line);
            }
            return lines;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean commandSucceeds(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static String output(String... command) {
        try {
            Process p = new ProcessBuilder(command).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor(10, TimeUnit.SECONDS);
            return out;
        } catch (IOException | InterruptedException e) {
            return "";
        }
    }
}
