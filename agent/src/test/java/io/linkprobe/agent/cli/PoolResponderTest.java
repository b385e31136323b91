package io.linkprobe.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.common.auth.Tokens;
import io.linkprobe.common.net.Transports;
import io.linkprobe.common.testing.CliRun;
import io.linkprobe.common.throughput.client.ThroughputClient;
import io.linkprobe.common.throughput.client.ThroughputRequest;
import io.linkprobe.common.throughput.protocol.Direction;
import io.linkprobe.common.wire.ThroughputResult;
import io.linkprobe.agent.AgentMain;
import io.netty.channel.EventLoopGroup;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A standalone responder in the collector's pool: {@code responder --tokens-file} with a copy of
 * the collector's tokens file lets every site sign with its own token, and picks up a site added
 * to the copy without a restart. The real command runs in its own JVM.
 */
class PoolResponderTest {
    @TempDir
    Path dir;

    @Test
    void everySiteSignsWithItsOwnTokenAndAnAddedSiteIsAdmittedWithoutARestart() throws Exception {
        Path tokens = Files.writeString(dir.resolve("tokens"), Tokens.fileLine("token-a", "gp-a") + "\n");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), AgentMain.class.getName(), "responder",
                "--bind", "127.0.0.1", "--stamp-port", "0", "--throughput-port", "0", "--tokens-file", tokens.toString())
                .redirectErrorStream(true).start();
        EventLoopGroup group = Transports.group(1, "pool-responder-test");
        try {
            StringBuffer output = new StringBuffer();
            CompletableFuture<Integer> port = new CompletableFuture<>();
            Thread reader = new Thread(() -> {
                Pattern listening = Pattern.compile("throughput responder listening on tcp 127\\.0\\.0\\.1:(\\d+) \\((.*)\\)");
                try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        output.append(line).append('\n');
                        Matcher m = listening.matcher(line);
                        if (m.find()) {
                            port.complete(Integer.parseInt(m.group(1)));
                        }
                    }
                } catch (java.io.IOException e) {
                    port.completeExceptionally(e);
                }
                port.completeExceptionally(new AssertionError("the responder exited:\n" + output));
            }, "responder-output");
            reader.setDaemon(true);
            reader.start();
            ThroughputRequest base = ThroughputRequest.to("127.0.0.1", port.get(60, TimeUnit.SECONDS))
                    .withDirections(List.of(Direction.DOWN)).withLimits(Duration.ofMillis(300), 0);
            assertTrue(output.toString().contains("(each site's token-derived key, 1 sites)"), output.toString());
            ThroughputClient client = new ThroughputClient(group);

            assertEquals("ok", test(client, base.withKey("gp-a", "token-a")).result());
            assertEquals("auth_failed", test(client, base.withKey("gp-b", "token-b")).result(), "not in the file yet");
            assertEquals("auth_failed", test(client, base.withKey("gp-a", "token-b")).result(), "another site's token");

            Files.writeString(tokens, Tokens.fileLine("token-b", "gp-b") + "\n", StandardOpenOption.APPEND);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            String result = "";
            while (!result.equals("ok") && System.nanoTime() < deadline) {
                Thread.sleep(500);
                result = test(client, base.withKey("gp-b", "token-b")).result();
            }
            assertEquals("ok", result, "gp-b admitted after the file changed:\n" + output);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static ThroughputResult test(ThroughputClient client, ThroughputRequest request) throws Exception {
        return client.run(request).toCompletableFuture().get(30, TimeUnit.SECONDS).get(0);
    }

    @Test
    void aTokensFileIsCheckedAtStartAndExcludesASharedKey() throws Exception {
        Path bad = Files.writeString(dir.resolve("tokens"), "not-a-hash gp-a\n");
        Path key = Files.writeString(dir.resolve("key"), "secret\n");

        CliRun broken = CliRun.of(() -> AgentMain.execute(new String[] {"responder", "--tokens-file", bad.toString()}));
        assertEquals(2, broken.exit());
        assertTrue(broken.err().startsWith("error: " + bad + ":1: 'not-a-hash' is not a SHA-256 hex digest"), broken.err());

        CliRun both = CliRun.of(() -> AgentMain.execute(new String[] {"responder", "--tokens-file", bad.toString(),
                "--key-file", key.toString()}));
        assertEquals(2, both.exit());
        assertTrue(both.err().contains("--key-file and --tokens-file exclude each other"), both.err());
    }
}
