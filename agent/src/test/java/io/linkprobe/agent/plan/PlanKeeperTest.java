package io.linkprobe.agent.plan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.sun.net.httpserver.HttpServer;
import io.linkprobe.agent.config.AgentConfig;
import io.linkprobe.common.config.ConfigLoader;
import io.linkprobe.common.wire.Json;
import io.linkprobe.common.wire.Plan;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The agent's side of GET /api/v1/plan, against an HTTP server that answers what each test
 * scripts: what is applied, kept on disk, asked again, and logged once.
 */
class PlanKeeperTest {
    @TempDir
    Path stateDir;

    private HttpServer server;
    private volatile Scripted answer;
    private final List<String> ifNoneMatch = new CopyOnWriteArrayList<>();
    private final List<String> authorization = new CopyOnWriteArrayList<>();
    private final List<Workload> applied = new ArrayList<>();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private AgentConfig local;

    private record Scripted(int status, byte[] body, String etag) {}

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(PlanClient.PATH, exchange -> {
            ifNoneMatch.add(String.valueOf(exchange.getRequestHeaders().getFirst("If-None-Match")));
            authorization.add(exchange.getRequestHeaders().getFirst("Authorization"));
            Scripted a = answer;
            boolean notModified = a.etag() != null
                    && ("\"" + a.etag() + "\"").equals(exchange.getRequestHeaders().getFirst("If-None-Match"));
            if (a.etag() != null) {
                exchange.getResponseHeaders().add("ETag", "\"" + a.etag() + "\"");
            }
            if (notModified) {
                exchange.sendResponseHeaders(304, -1);
            } else {
                exchange.sendResponseHeaders(a.status(), a.body().length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(a.body());
                }
            }
            exchange.close();
        });
        server.start();
        local = ConfigLoader.parse("agent.yml", "site: s1\nstate_dir: " + stateDir + "\ncollector: {url: 'http://127.0.0.1:"
                + server.getAddress().getPort() + "', plan_refresh: 1m}\ntargets: [{name: mine, host: 192.0.2.1}]\n",
                AgentConfig.class);
        logs.start();
        ((Logger) LoggerFactory.getLogger(PlanKeeper.class)).addAppender(logs);
    }

    @AfterEach
    void stop() {
        ((Logger) LoggerFactory.getLogger(PlanKeeper.class)).detachAppender(logs);
        server.stop(0);
    }

    private PlanKeeper keeper() {
        return new PlanKeeper(local, () -> "the-token", null, applied::add);
    }

    static Plan plan(String version, long intervalMillis) {
        return new Plan("s1", version, Map.of(), Plan.Expected.NONE,
                List.of(new Plan.Target("collector", "127.0.0.1", 862, 0, 0)), 60_000,
                new Plan.Latency(intervalMillis, "poisson", 44, 3_000),
                new Plan.Throughput(true, 60_000, 15_000, 3_000, "both", 1, 0, 0, 15_000L,
                        new Plan.Responder("collector", "127.0.0.1", 862, 9863), 1.0), null);
    }

    private void serve(Plan plan) throws IOException {
        answer = new Scripted(200, Json.mapper().writeValueAsBytes(plan), plan.version());
    }

    private void serve(int status, String reason) {
        answer = new Scripted(status, reason.getBytes(StandardCharsets.UTF_8), null);
    }

    private long warnings() {
        return logs.list.stream().filter(e -> e.getLevel() == Level.WARN).count();
    }

    private Path kept() {
        return stateDir.resolve(PlanCache.FILE);
    }

    @Test
    void aFetchedPlanIsKeptOnDiskAppliedAndThenAskedForWithItsVersion() throws Exception {
        PlanKeeper keeper = keeper();
        assertFalse(keeper.initial().runsPlan(), "nothing kept yet: agent.yml alone");
        serve(plan("v1", 200));

        Duration wait = keeper.refreshOnce();
        assertEquals(1, applied.size());
        assertEquals("v1", applied.get(0).planVersion());
        assertEquals(List.of("mine", "collector").size(), applied.get(0).config().targets().size());
        assertArrayEquals(Json.mapper().writeValueAsBytes(plan("v1", 200)), Files.readAllBytes(kept()));
        assertTrue(wait.compareTo(Duration.ofSeconds(45)) >= 0 && wait.compareTo(Duration.ofSeconds(75)) <= 0,
                "plan_refresh 1m ± 25 %: " + wait);
        assertEquals(List.of("null"), ifNoneMatch);
        assertEquals("Bearer the-token", authorization.get(0));

        keeper.refreshOnce();
        assertEquals("\"v1\"", ifNoneMatch.get(1));
        assertEquals(1, applied.size(), "304: nothing changes");

        serve(plan("v2", 100));
        keeper.refreshOnce();
        assertEquals("v2", applied.get(1).planVersion(), "a changed plan is applied without a restart");
        assertEquals(0, warnings());
    }

    @Test
    void theKeptPlanIsRunAtStartWhileTheCollectorIsDown() throws Exception {
        serve(plan("v1", 200));
        PlanKeeper before = keeper();
        before.initial();
        before.refreshOnce();
        server.stop(0);

        PlanKeeper afterReboot = keeper();
        Workload w = afterReboot.initial();
        assertEquals("v1", w.planVersion(), "measures the kept plan before the collector answers");
        Duration wait = afterReboot.refreshOnce();
        assertEquals(1, applied.size(), "an unreachable collector changes nothing");
        assertTrue(wait.compareTo(Duration.ofSeconds(1)) >= 0 && wait.compareTo(Duration.ofMinutes(1)) <= 0, wait.toString());
        afterReboot.refreshOnce();
        assertEquals(1, warnings(), "the outage is logged once");
    }

    @Test
    void anUnusablePlanIsLoggedOnceWithItsReasonAndThePlanInForceStays() throws Exception {
        PlanKeeper keeper = keeper();
        keeper.initial();
        serve(plan("v1", 200));
        keeper.refreshOnce();
        byte[] good = Files.readAllBytes(kept());

        serve(plan("v2", 5));
        keeper.refreshOnce();
        keeper.refreshOnce();
        assertEquals(1, applied.size());
        assertEquals("v1", keeper.current().planVersion());
        assertArrayEquals(good, Files.readAllBytes(kept()), "the kept plan is the usable one");
        assertEquals(1, warnings());
        assertEquals("The collector sent an unusable plan: latency.interval must be between 10ms and 60s; "
                + "running plan v1 as before", logs.list.stream().filter(e -> e.getLevel() == Level.WARN).findFirst()
                .orElseThrow().getFormattedMessage());
        assertEquals("\"v1\"", ifNoneMatch.get(2), "it keeps asking with the version it runs");
    }

    @Test
    void notFoundRunsAgentYmlAloneAndForgetsTheKeptPlan() throws Exception {
        PlanKeeper keeper = keeper();
        keeper.initial();
        serve(plan("v1", 200));
        keeper.refreshOnce();

        serve(404, "no plan for site 's1': this collector has no fleet_file and its embedded responder is off");
        keeper.refreshOnce();
        keeper.refreshOnce();
        assertEquals(2, applied.size());
        assertNull(applied.get(1).planVersion());
        assertEquals(local, applied.get(1).config(), "agent.yml alone");
        assertFalse(Files.exists(kept()), "a restart does not bring the plan back");
        assertEquals(1, warnings());
    }

    @Test
    void aRefusedTokenKeepsThePlanInForceAndIsLoggedOnce() throws Exception {
        PlanKeeper keeper = keeper();
        keeper.initial();
        serve(plan("v1", 200));
        keeper.refreshOnce();

        serve(401, "unknown token");
        keeper.refreshOnce();
        keeper.refreshOnce();
        serve(403, "token of another site");
        keeper.refreshOnce();
        assertEquals(1, applied.size());
        assertEquals("v1", keeper.current().planVersion());
        assertEquals(2, warnings(), "one line for 401, one for 403");
        assertTrue(Files.exists(kept()));
    }

    @Test
    void aBrokenKeptPlanIsSetAsideForAgentYmlAlone() throws Exception {
        Files.writeString(kept(), "{\"site\": \"s1\", \"vers");
        Workload w = keeper().initial();
        assertFalse(w.runsPlan());
        assertEquals(1, warnings());
    }

    @Test
    void aBusyCollectorIsAskedAgainAfterItsRetryAfterNotAWholeRefreshLater() throws Exception {
        PlanKeeper keeper = keeper();
        keeper.initial();
        answer = new Scripted(503, "plans are being built; retry shortly".getBytes(StandardCharsets.UTF_8), null);
        server.removeContext(PlanClient.PATH);
        server.createContext(PlanClient.PATH, exchange -> {
            exchange.getResponseHeaders().add("Retry-After", "5");
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        Duration wait = keeper.refreshOnce();
        assertTrue(wait.compareTo(Duration.ofSeconds(5)) >= 0 && wait.compareTo(Duration.ofSeconds(8)) < 0, wait.toString());
        assertTrue(applied.isEmpty());
    }
}
