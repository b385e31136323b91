package io.linkprobe.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.linkprobe.agent.AgentMain;
import io.linkprobe.common.responder.ResponderOptions;
import io.linkprobe.common.stamp.ReflectorOptions;
import io.linkprobe.common.stamp.StampReflector;
import io.linkprobe.common.testing.CliRun;
import io.linkprobe.common.testing.EventLoops;
import io.linkprobe.common.throughput.server.ServerOptions;
import io.linkprobe.common.throughput.server.ThroughputServer;
import io.linkprobe.common.wire.Json;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The agent CLI's contract: output shapes, exit codes 0/1/2 and one-line errors. */
class AgentCliTest {
    @RegisterExtension
    static final EventLoops loops = new EventLoops(2, "cli-test");
    static StampReflector reflector;
    static ThroughputServer server;

    @BeforeAll
    static void responder() throws Exception {
        reflector = StampReflector.start(loops.group(), new InetSocketAddress("127.0.0.1", 0), ReflectorOptions.defaults());
        server = ThroughputServer.start(loops.group(), new InetSocketAddress("127.0.0.1", 0),
                ServerOptions.defaults().withLimits(Duration.ofSeconds(3), 1L << 30));
    }

    @AfterAll
    static void stop() {
        reflector.close();
        server.close();
    }

    static CliRun run(String... args) {
        return CliRun.of(() -> AgentMain.execute(args));
    }

    @Test
    void latencyOnlyJsonHoldsTheDocumentedKeys() throws Exception {
        CliRun r = run("test", "127.0.0.1", "--stamp-port", String.valueOf(reflector.localPort()), "--latency-only",
                "--count", "15", "--interval", "10ms", "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode j = Json.mapper().readTree(r.out());
        JsonNode l = j.get("latency");
        assertEquals(15, l.get("sent").asInt());
        assertEquals(15, l.get("received").asInt());
        assertEquals(0, l.get("lost_up").asInt());
        assertEquals(0, l.get("lost_down").asInt());
        for (String p : new String[] {"min", "p50", "p90", "p99", "max"}) {
            assertTrue(l.get("rtt_ms").get(p).asDouble() > 0, p);
        }
        assertTrue(l.get("rtt_ms").get("min").asDouble() <= l.get("rtt_ms").get("max").asDouble());
        assertTrue(l.has("jitter_ms"));
        assertTrue(l.get("timestamps").asText().matches("kernel|user"), l.toString());
        assertEquals(15, l.get("rtts_kernel").asInt() + l.get("rtts_user").asInt());
        assertEquals(0, l.get("replies_too_short").asInt());
        assertEquals(0, l.get("replies_malformed").asInt());
        assertFalse(l.has("rtt_us"), "only with --raw-rtts");
        assertFalse(j.has("download"));
    }

    @Test
    void rawRttsListEveryRttInOrderOfSending() throws Exception {
        CliRun r = run("test", "127.0.0.1", "--stamp-port", String.valueOf(reflector.localPort()), "--latency-only",
                "--count", "7", "--interval-ms", "10", "--json", "--raw-rtts");
        assertEquals(0, r.exit(), r.err());
        JsonNode rtts = Json.mapper().readTree(r.out()).get("latency").get("rtt_us");
        assertEquals(7, rtts.size());
        rtts.forEach(us -> assertTrue(us.asInt() > 0, rtts.toString()));
    }

    /**
     * A peer that answers every request with 20 bytes (not STAMP): the test says so, counts them,
     * and does not send the user looking for a reflector that is not running.
     */
    @Test
    void aPeerAnsweringWithShortRepliesIsReportedAsSuchNotAsAMissingReflector() throws Exception {
        try (DatagramSocket peer = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            Thread echo = new Thread(() -> {
                byte[] buf = new byte[2048];
                try {
                    while (true) {
                        java.net.DatagramPacket p = new java.net.DatagramPacket(buf, buf.length);
                        peer.receive(p);
                        peer.send(new java.net.DatagramPacket(buf, 20, p.getSocketAddress()));
                    }
                } catch (java.io.IOException closed) {
                    // the test is over
                }
            }, "short-reply-peer");
            echo.setDaemon(true);
            echo.start();
            CliRun r = run("test", "127.0.0.1", "--stamp-port", String.valueOf(peer.getLocalPort()), "--latency-only",
                    "--count", "4", "--interval-ms", "10", "--timeout-ms", "300", "--json");
            assertEquals(1, r.exit(), r.out() + r.err());
            assertTrue(r.err().contains("answered, but none of its 4 replies was a STAMP reply (4 shorter than 38 bytes"), r.err());
            assertFalse(r.err().contains("check that a reflector runs there"), r.err());
            assertEquals(4, Json.mapper().readTree(r.out()).get("latency").get("replies_too_short").asInt());
        }
    }

    @Test
    void fullTestReportsBothDirectionsWithLoadedLatency() throws Exception {
        CliRun r = run("test", "127.0.0.1", "--stamp-port", String.valueOf(reflector.localPort()),
                "--throughput-port", String.valueOf(server.localPort()), "--duration", "2s", "--count", "5",
                "--interval", "10ms", "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode j = Json.mapper().readTree(r.out());
        for (String dir : new String[] {"download", "upload"}) {
            JsonNode d = j.get(dir);
            assertEquals("ok", d.get("result").asText(), dir);
            assertTrue(d.get("bits_per_second").asLong() > 1_000_000, dir);
            assertTrue(d.get("mean_bits_per_second").asLong() > 0, dir);
            assertTrue(d.get("bytes").asLong() > 0, dir);
            assertTrue(d.get("seconds").asDouble() > 0, dir);
            assertTrue(d.has("stable"));
            assertTrue(d.get("loaded_rtt_ms").get("p50").asDouble() > 0, dir);
            assertTrue(d.get("loaded_rtt_ms").get("p90").asDouble() >= d.get("loaded_rtt_ms").get("p50").asDouble());
            assertTrue(d.get("idle_rtt_ms").asDouble() > 0);
            assertTrue(d.has("bufferbloat_ms") && d.has("rpm") && d.has("retransmits"));
            assertTrue(d.get("grade").asText().matches("[A-F]"));
        }
    }

    @Test
    void refusedResponderIsOneLineAndExitOne() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        CliRun r = run("test", "127.0.0.1", "--stamp-port", String.valueOf(reflector.localPort()),
                "--throughput-port", String.valueOf(closedPort), "--direction", "down", "--count", "3",
                "--interval", "10ms");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("error: download test refused"), r.err());
    }

    @Test
    void silentReflectorIsExitOneWithTheFix() throws Exception {
        int silentPort;
        try (DatagramSocket s = new DatagramSocket(0)) {
            silentPort = s.getLocalPort();
        }
        CliRun r = run("test", "127.0.0.1", "--stamp-port", String.valueOf(silentPort), "--latency-only",
                "--count", "2", "--interval-ms", "10", "--timeout-ms", "200");
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("no STAMP replies"), r.err());
        assertTrue(r.err().contains("--interval-ms is deprecated; write --interval 10ms"), r.err());
    }

    @Test
    void durationsAreWrittenAsInConfigAndABareNumberNamesTheFix() {
        CliRun bare = run("test", "127.0.0.1", "--duration", "10");
        assertEquals(2, bare.exit(), bare.err());
        assertTrue(bare.err().contains("'10' is not a duration; write e.g. 200ms, 60s"), bare.err());
    }

    @Test
    void jsonFailureCarriesAnErrorObject() throws Exception {
        int silentPort;
        try (DatagramSocket s = new DatagramSocket(0)) {
            silentPort = s.getLocalPort();
        }
        CliRun r = run("test", "127.0.0.1", "--stamp-port", String.valueOf(silentPort), "--latency-only",
                "--count", "2", "--interval", "10ms", "--timeout", "200ms", "--json");
        assertEquals(1, r.exit(), r.out() + r.err());
        JsonNode j = Json.mapper().readTree(r.out());
        assertEquals("failure", j.get("error").get("kind").asText(), r.out());
        assertTrue(j.get("error").get("message").asText().contains("no STAMP replies"), r.out());
        assertTrue(j.has("latency"), "the measured part is still reported: " + r.out());

        CliRun unresolvable = run("test", "no-such-host.invalid", "--latency-only", "--json");
        assertEquals(1, unresolvable.exit(), unresolvable.err());
        JsonNode u = Json.mapper().readTree(unresolvable.out());
        assertTrue(u.get("error").get("message").asText().contains("cannot resolve host"), unresolvable.out());

        CliRun usage = run("test", "127.0.0.1", "--direction", "sideways", "--json");
        assertEquals(2, usage.exit(), usage.err());
        assertEquals("usage", Json.mapper().readTree(usage.out()).get("error").get("kind").asText(), usage.out());
    }

    @Test
    void helpSubcommandExplainsACommand() {
        CliRun help = run("help", "test");
        assertEquals(0, help.exit(), help.err());
        assertTrue(help.out().contains("--duration=DURATION"), help.out());
    }

    @Test
    void statusQueryReportsTheResponderIdle() throws Exception {
        CliRun r = run("test", "127.0.0.1", "--throughput-port", String.valueOf(server.localPort()), "--status", "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode j = Json.mapper().readTree(r.out());
        assertEquals(0, j.get("running_tests").asInt());
        assertEquals(0, j.get("queue_length").asInt());
        assertEquals(1, j.get("max_concurrent_tests").asInt());
    }

    @Test
    void badFlagIsExitTwo() {
        CliRun r = run("test", "127.0.0.1", "--direction", "sideways");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--direction must be down, up or both"), r.err());
        assertEquals(2, run("test").exit());
        assertEquals(2, run("frobnicate").exit());
    }

    @Test
    void unknownConfigKeyIsExitTwoWithFileAndLine(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("agent.yml");
        Files.writeString(cfg, "site: s1\ncollector:\n  url: http://127.0.0.1:9862\n  tokn_file: /x\n");
        CliRun r = run("check-config", "--config", cfg.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains(cfg + ":4:3: unknown key 'tokn_file'"), r.err());
    }

    @Test
    void validConfigWithTokenIsExitZero(@TempDir Path dir) throws Exception {
        Path token = dir.resolve("token");
        Files.writeString(token, "abc123\n");
        Path cfg = dir.resolve("agent.yml");
        Files.writeString(cfg, "site: s1\ncollector:\n  url: http://127.0.0.1:9862\n  token_file: " + token
                + "\ntargets: [{name: hub, host: 127.0.0.1}]\n");
        CliRun r = run("check-config", "--config", cfg.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals(cfg + ": ok (site s1, 1 target(s) of its own; the collector's plan adds its targets and schedule)\n", r.out());
        Files.delete(token);
        CliRun missing = run("check-config", "--config", cfg.toString());
        assertEquals(2, missing.exit());
        assertTrue(missing.err().startsWith("error: " + cfg + ":4:3: collector.token_file " + token + " does not exist"),
                missing.err());
    }

    @Test
    void responderHelpShowsTheDefaultsTheEmbeddedResponderHas() {
        ResponderOptions d = ResponderOptions.defaults();
        CliRun r = run("responder", "--help");
        assertEquals(0, r.exit(), r.err());
        String help = r.out().substring(r.out().indexOf("--bind=ADDR  ")).replaceAll("\\s+", " ");
        Map<String, Object> defaults = Map.of("--bind=ADDR", d.bindAddress(), "--stamp-port=PORT", d.stampPort(),
                "--throughput-port=PORT", d.throughputPort(), "--max-concurrent-tests=N", d.maxConcurrentTests(),
                "--max-duration=DURATION", d.maxDuration().toSeconds() + "s", "--max-bytes=BYTES", d.maxBytes());
        defaults.forEach((flag, value) -> {
            Matcher m = Pattern.compile(Pattern.quote(flag) + " (.*?)(?= -[hV],| --[a-z-]+(=| )|$)").matcher(help);
            assertTrue(m.find(), flag + " in " + help);
            assertTrue(m.group(1).endsWith("(default " + value + ")"), flag + ": " + m.group(1));
        });
    }

    @Test
    void responderOnATakenPortIsOneLineNamingTheFlag() throws Exception {
        try (DatagramSocket taken = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            CliRun r = run("responder", "--bind", "127.0.0.1", "--stamp-port", String.valueOf(taken.getLocalPort()),
                    "--throughput-port", "0");
            assertEquals(1, r.exit(), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains("change --stamp-port"), r.err());
        }
        CliRun bad = run("responder", "--stamp-port", "-1", "--max-concurrent-tests", "0");
        assertEquals(2, bad.exit(), bad.err());
        assertTrue(bad.err().contains("maxConcurrentTests must be at least 1"), bad.err());
    }

    /** A corrupt spool is moved aside (SpoolCorruptionTest); a path that cannot hold one is still exit 2. */
    @Test
    @org.junit.jupiter.api.Timeout(60) // were the spool opened, run would measure until stopped
    void aSpoolPathThatIsADirectoryIsExitTwoWithTheFix(@TempDir Path dir) throws Exception {
        Path token = dir.resolve("token");
        Files.writeString(token, "abc123\n");
        Path spool = Files.createDirectory(dir.resolve("spool.db"));
        Path cfg = dir.resolve("agent.yml");
        Files.writeString(cfg, "site: s1\nstate_dir: " + dir.resolve("state") + "\ncollector:\n  url: http://127.0.0.1:9\n"
                + "  token_file: " + token + "\nspool: {path: " + spool + "}\ntargets: [{name: hub, host: 127.0.0.1}]\n");
        CliRun r = run("run", "--config", cfg.toString());
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("is a directory") && r.err().contains("set spool.path"), r.err());
    }
}
