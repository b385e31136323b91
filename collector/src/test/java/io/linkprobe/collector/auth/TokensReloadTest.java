package io.linkprobe.collector.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.linkprobe.collector.Exposition;
import io.linkprobe.collector.MutableClock;
import io.linkprobe.collector.TestCollector;
import io.linkprobe.collector.config.CollectorConfig;
import io.linkprobe.collector.responder.ResponderPart;
import io.linkprobe.common.auth.Tokens;
import io.linkprobe.common.net.Transports;
import io.linkprobe.common.testing.Samples;
import io.linkprobe.common.throughput.client.ThroughputClient;
import io.linkprobe.common.throughput.client.ThroughputRequest;
import io.linkprobe.common.throughput.protocol.Direction;
import io.linkprobe.common.wire.ThroughputResult;
import io.netty.channel.EventLoopGroup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running collector re-reads its tokens file: a site added with {@code token new} can push
 * within seconds, both tokens of a site in rotation can sign throughput tests, and a broken edit
 * is counted while the tokens in force keep working.
 */
class TokensReloadTest {

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 20 s: " + what);
            }
            Thread.sleep(200);
        }
    }

    @Test
    void aRunningCollectorAdmitsANewSiteAndBothTokensOfARotation(@TempDir Path dir) throws Exception {
        EventLoopGroup group = Transports.group(1, "reload-test");
        try (TestCollector c = TestCollector.start(dir, Map.of("site-a", "token-a"), MutableClock.now(),
                cfg -> cfg.withResponder(new CollectorConfig.Responder(true, 0, 0, 1, null, null)))) {
            Path file = dir.resolve("tokens");
            assertEquals(401, c.push("token-b", Samples.batch("site-b", 1)).statusCode());

            Files.writeString(file, Tokens.fileLine("token-b", "site-b") + "\n"
                    + Tokens.fileLine("token-a2", "site-a") + "\n", StandardOpenOption.APPEND);
            await("the new site's push is accepted", () -> statusOf(c, "token-b", "site-b") == 200);
            assertEquals(200, c.push("token-a2", Samples.batch("site-a", 2)).statusCode());
            assertEquals(200, c.push("token-a", Samples.batch("site-a", 3)).statusCode(), "the old token still works");
            assertEquals(3.0, Exposition.unlabelled(c.get("/metrics").body(), "linkprobe_collector_tokens"));

            int port = c.collector.responder().port(ResponderPart.THROUGHPUT).orElseThrow();
            ThroughputRequest base = ThroughputRequest.to("127.0.0.1", port)
                    .withDirections(List.of(Direction.DOWN)).withLimits(Duration.ofMillis(300), 0);
            ThroughputClient client = new ThroughputClient(group);
            for (String token : List.of("token-a", "token-a2")) {
                ThroughputResult r = client.run(base.withKey("site-a", token)).toCompletableFuture()
                        .get(20, TimeUnit.SECONDS).get(0);
                assertEquals("ok", r.result(), token + ": " + r.message());
            }
            ThroughputResult crossed = client.run(base.withKey("site-a", "token-b")).toCompletableFuture()
                    .get(20, TimeUnit.SECONDS).get(0);
            assertEquals("auth_failed", crossed.result(), "site-b's token is not a key for site-a");

            Files.writeString(file, "token-c site-c\n", StandardOpenOption.APPEND);
            await("the broken edit is counted", () -> scrape(c, "linkprobe_collector_tokens_reload_failures_total") >= 1);
            assertEquals(200, c.push("token-b", Samples.batch("site-b", 4)).statusCode(),
                    "the tokens in force stay in force");
            assertEquals(3.0, Exposition.unlabelled(c.get("/metrics").body(), "linkprobe_collector_tokens"));
            assertEquals(401, c.push("token-c", Samples.batch("site-c", 1)).statusCode(), "nor is the broken line");
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static int statusOf(TestCollector c, String token, String site) {
        try {
            return c.push(token, Samples.batch(site, 1)).statusCode();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static double scrape(TestCollector c, String name) {
        try {
            return Exposition.unlabelled(c.get("/metrics").body(), name);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
