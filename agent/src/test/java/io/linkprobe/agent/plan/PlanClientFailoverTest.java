package io.linkprobe.agent.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** With collector.urls the plan is fetched the way results are pushed: the next collector when one does not answer. */
class PlanClientFailoverTest {
    private HttpServer server;

    private URI collector(AtomicInteger status, AtomicInteger asked) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(PlanClient.PATH, ex -> {
            asked.incrementAndGet();
            byte[] body = ("answer " + status.get()).getBytes();
            ex.sendResponseHeaders(status.get(), body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private static URI dead() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return URI.create("http://127.0.0.1:" + s.getLocalPort());
        }
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void aDeadCollectorIsSkippedAndTheOneThatAnsweredIsAskedFirstNextTime() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        URI live = collector(new AtomicInteger(404), asked);
        PlanClient c = new PlanClient(List.of(dead(), live), () -> "tok", null, Duration.ofSeconds(5));
        assertEquals(404, c.fetch(null).status(), "a 4xx is an answer: returned, not failed over");
        assertEquals(live.resolve(PlanClient.PATH).toURL(), c.url());
        assertEquals(404, c.fetch(null).status());
        assertEquals(2, asked.get());
    }

    @Test
    void a5xxFailsOverAndIsReturnedOnlyWhenNoCollectorDoesBetter() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        AtomicInteger status = new AtomicInteger(500);
        URI failing = collector(status, asked);
        PlanClient c = new PlanClient(List.of(failing, dead()), () -> "tok", null, Duration.ofSeconds(5));
        assertEquals(500, c.fetch(null).status(), "the other did not answer: the 5xx is what there is");
        PlanClient none = new PlanClient(List.of(dead(), dead()), () -> "tok", null, Duration.ofSeconds(5));
        assertThrows(IOException.class, () -> none.fetch(null));
        assertEquals(true, none.where().startsWith("any of [http://127.0.0.1:"), none.where());
    }
}
