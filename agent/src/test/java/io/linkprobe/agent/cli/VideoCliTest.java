package io.linkprobe.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.linkprobe.agent.AgentMain;
import io.linkprobe.common.stamp.ReflectorOptions;
import io.linkprobe.common.stamp.StampReflector;
import io.linkprobe.common.testing.CliRun;
import io.linkprobe.common.testing.EventLoops;
import io.linkprobe.common.wire.Json;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code test --video}: the JSON the README documents, exit codes and one-line errors. */
class VideoCliTest {
    @RegisterExtension
    static final EventLoops loops = new EventLoops(1, "video-cli-test");
    static StampReflector reflector;

    @BeforeAll
    static void reflector() {
        reflector = StampReflector.start(loops.group(), new InetSocketAddress("127.0.0.1", 0), ReflectorOptions.defaults());
    }

    @AfterAll
    static void stop() {
        reflector.close();
    }

    static CliRun run(String... args) {
        return CliRun.of(() -> AgentMain.execute(args));
    }

    @Test
    void videoJsonHoldsTheDocumentedKeys() throws Exception {
        CliRun r = run("test", "127.0.0.1", "--stamp-port", String.valueOf(reflector.localPort()), "--video",
                "--calls", "2", "--call-seconds", "5", "--step-seconds", "2", "--dscp", "AF41", "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode root = Json.mapper().readTree(r.out());
        assertEquals("127.0.0.1", root.path("target").asText());
        JsonNode v = root.path("video");
        assertEquals("ok", v.path("result").asText());
        assertTrue(v.path("verdict").asText().matches("ready|marginal|not_ready"), v.toString());
        assertTrue(v.path("calls").isInt() && v.path("calls").asInt() <= 2, v.toString());
        assertTrue(v.path("mos").isNumber());
        for (String dir : new String[] {"up", "down"}) {
            for (String key : new String[] {"packets", "lost", "loss_percent", "longest_burst", "late", "burst_ratio",
                    "jitter_ms", "delay_variation_ms", "reordered", "delivered_kbps", "mos"}) {
                assertTrue(v.path(dir).path(key).isNumber(), dir + "." + key + " in " + v);
            }
        }
        assertEquals(625, v.path("up").path("packets").asInt());
        assertEquals(34, v.path("dscp").asInt());
        assertEquals("AF41", v.path("dscp_name").asText());
        assertTrue(v.path("rtt_ms").path("p95").isNumber());
        assertTrue(v.path("ladder").isArray() && v.path("ladder").size() >= 1);
        assertEquals(1, v.path("ladder").get(0).path("calls").asInt());
        assertTrue(v.path("bytes").asLong() > 0);
    }

    /** Against {@code linkprobe-agent responder} as an operator starts it, a process of its own. */
    @Test
    void theOneShotTestWorksAgainstTheAgentsResponder(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path key = java.nio.file.Files.writeString(dir.resolve("key"), "a shared secret\n");
        Process p = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), AgentMain.class.getName(), "responder",
                "--bind", "127.0.0.1", "--stamp-port", "0", "--throughput-port", "0", "--key-file", key.toString())
                .redirectErrorStream(true).start();
        try {
            java.io.BufferedReader out = new java.io.BufferedReader(
                    new java.io.InputStreamReader(p.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
            java.util.regex.Pattern listening = java.util.regex.Pattern.compile("STAMP reflector listening on udp 127\\.0\\.0\\.1:(\\d+)");
            String port = null;
            StringBuilder seen = new StringBuilder();
            for (String line; port == null && (line = out.readLine()) != null; ) {
                seen.append(line).append('\n');
                java.util.regex.Matcher m = listening.matcher(line);
                port = m.find() ? m.group(1) : null;
            }
            assertTrue(port != null, "the responder printed no STAMP port:\n" + seen);
            Thread drain = new Thread(() -> out.lines().forEach(l -> { }));
            drain.setDaemon(true);
            drain.start();
            CliRun r = run("test", "127.0.0.1", "--stamp-port", port, "--video", "--calls", "2", "--call-seconds", "5",
                    "--step-seconds", "2", "--json");
            assertEquals(0, r.exit(), r.err());
            JsonNode v = Json.mapper().readTree(r.out()).path("video");
            assertEquals("ok", v.path("result").asText(), v.toString());
            assertTrue(v.path("verdict").asText().matches("ready|marginal|not_ready"), v.toString());
            assertEquals(625, v.path("up").path("packets").asInt());
            assertTrue(v.path("down").path("packets").asInt() > 0, "the responder reflected the call: " + v);
        } finally {
            p.destroy();
            if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void theSummarySaysHowManyCallsTheLinkCarries() {
        CliRun r = run("test", "127.0.0.1", "--stamp-port", String.valueOf(reflector.localPort()), "--video",
                "--calls", "1", "--call-seconds", "5");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("linkprobe video test to 127.0.0.1"), r.out());
        assertTrue(r.out().matches("(?s).*one call +(ready|marginal|not_ready), MOS .*"), r.out());
        assertTrue(r.out().matches("(?s).*carries +[01] concurrent video call.*"), r.out());
    }

    @Test
    void aSilentReflectorIsExitOneWithTheFix() throws Exception {
        int silent;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            silent = s.getLocalPort();
        }
        CliRun r = run("test", "127.0.0.1", "--stamp-port", String.valueOf(silent), "--video", "--call-seconds", "5",
                "--json");
        assertEquals(1, r.exit());
        assertEquals("unreachable", Json.mapper().readTree(r.out()).path("video").path("result").asText());
        assertTrue(r.err().contains("no STAMP replies from 127.0.0.1:" + silent + "; check that a reflector runs there"),
                r.err());
    }

    @Test
    void badVideoFlagsAreExitTwoNamingTheFlag() {
        CliRun dscp = run("test", "127.0.0.1", "--video", "--dscp", "XX");
        assertEquals(2, dscp.exit());
        assertTrue(dscp.err().contains("--dscp 'XX' is not a DSCP: give a number 0-63 or a name such as BE, EF"),
                dscp.err());
        CliRun calls = run("test", "127.0.0.1", "--video", "--calls", "0");
        assertEquals(2, calls.exit());
        assertTrue(calls.err().contains("--calls must be 1-32"), calls.err());
        CliRun rate = run("test", "127.0.0.1", "--video", "--rate-kbps", "500");
        assertEquals(2, rate.exit());
        assertTrue(rate.err().contains("--rate-kbps 500 is below the rate a call must deliver"), rate.err());
        assertFalse(rate.err().contains("Exception"), rate.err());
    }
}
