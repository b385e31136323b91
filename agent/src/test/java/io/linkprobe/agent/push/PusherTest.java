package io.linkprobe.agent.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.linkprobe.common.wire.AgentHealth;
import io.linkprobe.common.wire.AgentIdentity;
import io.linkprobe.common.wire.Json;
import io.linkprobe.common.wire.PushBatch;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pusher against a scripted fake collector: each answer class leads to the documented action. */
class PusherTest {
    private HttpServer server;
    private final Deque<Integer> statuses = new ConcurrentLinkedDeque<>();
    private final List<PushBatch> received = new ArrayList<>();
    private final List<String> authHeaders = new ArrayList<>();
    private MemoryOutbox outbox;
    private Pusher pusher;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/samples", ex -> {
            try (InputStream in = new GZIPInputStream(ex.getRequestBody())) {
                synchronized (received) {
                    received.add(Json.mapper().readValue(in, PushBatch.class));
                    authHeaders.add(ex.getRequestHeaders().getFirst("Authorization"));
                }
            }
            int status = statuses.isEmpty() ? 200 : statuses.removeFirst();
            byte[] body = status == 200 ? "{\"acked_sequence\":1,\"duplicate\":false}".getBytes() : "no\n".getBytes();
            if (status == 429) {
                ex.getResponseHeaders().add("Retry-After", "7");
            }
            if (status == 401) {
                // What the collector sends: HttpURLConnection must hand back the 401, not try to authenticate.
                ex.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"linkprobe\"");
            }
            ex.sendResponseHeaders(status, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        AtomicLong seq = new AtomicLong(100);
        outbox = new MemoryOutbox(1_000, seq::incrementAndGet);
        AgentIdentity id = new AgentIdentity("s1", "a1", "b1", "test", java.util.Map.of(), AgentIdentity.Contract.NONE);
        pusher = new Pusher(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), AgentToken.fixed("tok"), id, outbox,
                Duration.ofSeconds(5), new Backoff(Duration.ofMillis(100), Duration.ofSeconds(60)), null);
    }

    @AfterEach
    void stop() {
        pusher.close();
        server.stop(0);
    }

    private static AgentHealth sample(int i) {
        return new AgentHealth(i, 0, 0, 0, 0, 0);
    }

    @Test
    void acceptedBatchIsRemovedAndCarriesTokenAndSequence() throws Exception {
        outbox.add(sample(1));
        outbox.add(sample(2));
        Duration pause = pusher.pushOnce(outbox.nextBatch(100).orElseThrow());
        assertEquals(Duration.ZERO, pause);
        assertEquals(0, outbox.pendingSamples());
        assertEquals(101, received.get(0).sequence());
        assertEquals(2, received.get(0).samples().size());
        assertEquals("Bearer tok", authHeaders.get(0));
    }

    @Test
    void malformedVerdictDropsTheBatchWithoutRetry() throws Exception {
        statuses.add(400);
        outbox.add(sample(1));
        pusher.pushOnce(outbox.nextBatch(100).orElseThrow());
        assertEquals(0, outbox.pendingSamples());
        assertEquals(1, pusher.refusedSamplesTotal());
    }

    @Test
    void tooLargeBatchIsHalvedUnderTheSameSequence() throws Exception {
        statuses.add(413);
        for (int i = 0; i < 10; i++) {
            outbox.add(sample(i));
        }
        Outbox.Batch first = outbox.nextBatch(100).orElseThrow();
        pusher.pushOnce(first);
        Outbox.Batch retry = outbox.nextBatch(100).orElseThrow();
        assertEquals(first.sequence(), retry.sequence());
        assertEquals(5, retry.samples().size());
        assertEquals(10, outbox.pendingSamples());
        pusher.pushOnce(retry);
        Outbox.Batch rest = outbox.nextBatch(100).orElseThrow();
        assertTrue(rest.sequence() > first.sequence());
        assertEquals(5, rest.samples().size());
    }

    /** A refused token is retried on the jittered, capped backoff, not a fixed wait of the cap. */
    @Test
    void wrongTokenKeepsTheDataAndRetriesOnTheCappedJitteredBackoff() throws Exception {
        outbox.add(sample(1));
        long longest = 0;
        for (int i = 0; i < 12; i++) {
            statuses.add(401);
            Duration pause = pusher.pushOnce(outbox.nextBatch(100).orElseThrow());
            assertTrue(pause.compareTo(Duration.ofSeconds(60)) <= 0, "never beyond the cap: " + pause);
            longest = Math.max(longest, pause.toMillis());
        }
        assertTrue(longest < 60_000 || statuses.isEmpty(), "jittered");
        assertEquals(1, outbox.pendingSamples());
        assertEquals(12, pusher.failuresTotal());
    }

    /** The operator rotated the token in the file: the next push after the 401 uses it, at once. */
    @Test
    void aTokenRotatedInItsFileIsReadOnTheRefusalAndUsedAtOnce(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, "old\n");
        pusher.close();
        AgentIdentity id = new AgentIdentity("s1", "a1", "b1", "test", java.util.Map.of(), AgentIdentity.Contract.NONE);
        pusher = new Pusher(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), new AgentToken(file, "old"),
                id, outbox, Duration.ofSeconds(5), new Backoff(Duration.ofMillis(100), Duration.ofSeconds(60)), null);
        outbox.add(sample(1));
        statuses.add(401);
        assertTrue(pusher.pushOnce(outbox.nextBatch(100).orElseThrow()).toMillis() <= 100, "unchanged file: backoff");
        Files.writeString(file, "new\n");
        statuses.add(401);
        assertEquals(Duration.ZERO, pusher.pushOnce(outbox.nextBatch(100).orElseThrow()), "a new token: at once");
        assertEquals(Duration.ZERO, pusher.pushOnce(outbox.nextBatch(100).orElseThrow()));
        assertEquals(List.of("Bearer old", "Bearer old", "Bearer new"), authHeaders);
        assertEquals(0, outbox.pendingSamples());
    }

    @Test
    void busyCollectorIsRetriedNoSoonerThanRetryAfter() throws Exception {
        statuses.add(429);
        outbox.add(sample(1));
        Outbox.Batch b = outbox.nextBatch(100).orElseThrow();
        Duration pause = pusher.pushOnce(b);
        assertTrue(pause.toMillis() >= 7_000, "paused " + pause);
        assertEquals(1, outbox.pendingSamples());
        assertEquals(b.sequence(), outbox.nextBatch(100).orElseThrow().sequence());
    }

    @Test
    void idlePusherWakesForANewResultInsteadOfWaitingOutItsIdleWait() throws Exception {
        pusher.start();
        Thread.sleep(200); // let it find the outbox empty and go to sleep
        outbox.add(sample(1));
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        while (outbox.pendingSamples() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        // The idle wait is 60 s: anything under it means the add woke the pusher.
        assertEquals(0, outbox.pendingSamples());
        synchronized (received) {
            assertEquals(1, received.size());
        }
    }

    @Test
    void unreachableCollectorKeepsTheDataAndBacksOff() throws Exception {
        server.stop(0);
        outbox.add(sample(1));
        Duration pause = pusher.pushOnce(outbox.nextBatch(100).orElseThrow());
        assertTrue(pause.toMillis() <= 100);
        assertEquals(1, outbox.pendingSamples());
        assertEquals(1, pusher.failuresTotal());
    }
}
