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
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code collector.urls}: the pusher sends to the first collector that answers, moves to the next
 * at once when one stops answering (the spool untouched: the same batch, same sequence), waits the
 * backoff only when every collector has failed in turn, and stays with the one that answers.
 */
class PusherFailoverTest {
    private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
    private Pusher pusher;

    /** A collector that answers {@code status} and records the sequences it received. */
    private HttpServer collector(List<Long> received, AtomicInteger status) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/samples", ex -> {
            try (InputStream in = new GZIPInputStream(ex.getRequestBody())) {
                received.add(Json.mapper().readValue(in, PushBatch.class).sequence());
            }
            int s = status.get();
            byte[] body = s == 200 ? "{\"acked_sequence\":1,\"duplicate\":false}".getBytes() : "down\n".getBytes();
            ex.sendResponseHeaders(s, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        servers.add(server);
        return server;
    }

    private static URI url(HttpServer s) {
        return URI.create("http://127.0.0.1:" + s.getAddress().getPort());
    }

    /** A port on which nothing listens: connections are refused, as to a collector killed with -9. */
    private static URI deadUrl() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return URI.create("http://127.0.0.1:" + s.getLocalPort());
        }
    }

    private Pusher pusher(List<URI> urls, MemoryOutbox outbox) {
        AgentIdentity id = new AgentIdentity("s1", "a1", "b1", "test", java.util.Map.of(), AgentIdentity.Contract.NONE);
        pusher = new Pusher(urls, AgentToken.fixed("tok"), id, outbox, Duration.ofSeconds(5),
                new Backoff(Duration.ofMillis(200), Duration.ofSeconds(60)), null);
        return pusher;
    }

    @AfterEach
    void stop() {
        if (pusher != null) {
            pusher.close();
        }
        servers.forEach(s -> s.stop(0));
    }

    @Test
    void aDeadFirstCollectorFailsOverAtOnceWithTheSameBatch() throws Exception {
        List<Long> atB = new CopyOnWriteArrayList<>();
        HttpServer b = collector(atB, new AtomicInteger(200));
        MemoryOutbox outbox = new MemoryOutbox(1_000, new AtomicLong(10)::incrementAndGet);
        Pusher p = pusher(List.of(deadUrl(), url(b)), outbox);
        outbox.add(new AgentHealth(1, 0, 0, 0, 0, 0));

        Outbox.Batch batch = outbox.nextBatch(100).orElseThrow();
        assertEquals(Duration.ZERO, p.pushOnce(batch), "the next collector is tried at once, no backoff");
        assertEquals(1, outbox.pendingSamples(), "nothing leaves the spool before a collector stored it");
        assertEquals(url(b).resolve("/api/v1/samples"), p.endpoint());
        Outbox.Batch again = outbox.nextBatch(100).orElseThrow();
        assertEquals(batch.sequence(), again.sequence(), "the same batch under the same key goes to the next collector");
        assertEquals(Duration.ZERO, p.pushOnce(again));
        assertEquals(0, outbox.pendingSamples());
        assertEquals(List.of(11L), atB);

        outbox.add(new AgentHealth(2, 0, 0, 0, 0, 0));
        p.pushOnce(outbox.nextBatch(100).orElseThrow());
        assertEquals(List.of(11L, 12L), atB, "it stays with the collector that answers");
        assertEquals(1, p.failuresTotal());
    }

    @Test
    void a5xxFailsOverButTheBackoffComesOnlyWhenEveryCollectorFailed() throws Exception {
        List<Long> atA = new CopyOnWriteArrayList<>();
        List<Long> atB = new CopyOnWriteArrayList<>();
        AtomicInteger statusA = new AtomicInteger(500);
        AtomicInteger statusB = new AtomicInteger(502);
        HttpServer a = collector(atA, statusA);
        HttpServer b = collector(atB, statusB);
        MemoryOutbox outbox = new MemoryOutbox(1_000, new AtomicLong(0)::incrementAndGet);
        Pusher p = pusher(List.of(url(a), url(b)), outbox);
        outbox.add(new AgentHealth(1, 0, 0, 0, 0, 0));

        assertEquals(Duration.ZERO, p.pushOnce(outbox.nextBatch(100).orElseThrow()), "A failed: B at once");
        p.pushOnce(outbox.nextBatch(100).orElseThrow()); // both failed in turn: the backoff (full jitter)
        assertEquals(2, p.failuresTotal());
        assertEquals(url(a).resolve("/api/v1/samples"), p.endpoint(), "the next turn starts with A again");
        assertEquals(1, outbox.pendingSamples());

        statusA.set(200);
        assertEquals(Duration.ZERO, p.pushOnce(outbox.nextBatch(100).orElseThrow()));
        assertEquals(0, outbox.pendingSamples());
        assertEquals(List.of(1L, 1L), atA);
        assertEquals(List.of(1L), atB);
    }

    @Test
    void busyIsNotAFailover() throws Exception {
        List<Long> atA = new CopyOnWriteArrayList<>();
        List<Long> atB = new CopyOnWriteArrayList<>();
        HttpServer a = collector(atA, new AtomicInteger(503));
        HttpServer b = collector(atB, new AtomicInteger(200));
        MemoryOutbox outbox = new MemoryOutbox(1_000, new AtomicLong(0)::incrementAndGet);
        Pusher p = pusher(List.of(url(a), url(b)), outbox);
        outbox.add(new AgentHealth(1, 0, 0, 0, 0, 0));
        Duration wait = p.pushOnce(outbox.nextBatch(100).orElseThrow());
        assertTrue(wait.compareTo(Duration.ofSeconds(4)) >= 0, "503 waits Retry-After (default 5 s) on the same collector: " + wait);
        assertEquals(url(a).resolve("/api/v1/samples"), p.endpoint());
        assertTrue(atB.isEmpty());
    }
}
