package io.linkprobe.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.agent.config.AgentConfig;
import io.linkprobe.agent.push.Outbox;
import io.linkprobe.agent.push.SqliteSpool;
import io.linkprobe.common.config.ConfigLoader;
import io.linkprobe.common.net.Transports;
import io.linkprobe.common.stamp.ReflectorOptions;
import io.linkprobe.common.stamp.StampReflector;
import io.linkprobe.common.throughput.server.ServerOptions;
import io.linkprobe.common.throughput.server.ThroughputServer;
import io.linkprobe.common.wire.AgentHealth;
import io.linkprobe.common.wire.ConnectResult;
import io.linkprobe.common.wire.LatencyWindow;
import io.linkprobe.common.wire.Plausibility;
import io.linkprobe.common.wire.Sample;
import io.linkprobe.common.wire.ThroughputResult;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A healthy agent never trips the plausibility rules: the real agent runtime, measuring a real
 * reflector and throughput responder on loopback (STAMP windows, a two-way throughput test with
 * latency under load, connect probes that succeed and fail, its health every window), with the
 * collector unreachable so that everything stays in the spool. Every result it spooled passes
 * {@link Plausibility} as the collector applies it, and its health says it dropped none.
 */
@Timeout(120)
class AgentOutputPlausibilityTest {

    @Test
    void everyResultARealAgentSpoolsIsPlausibleAndNoneIsDropped(@TempDir Path dir) throws Exception {
        EventLoopGroup group = Transports.group(2, "responder");
        StampReflector reflector = StampReflector.start(group, new InetSocketAddress("127.0.0.1", 0), ReflectorOptions.defaults());
        ThroughputServer server = ThroughputServer.start(group, new InetSocketAddress("127.0.0.1", 0),
                ServerOptions.defaults().withLimits(Duration.ofSeconds(2), 1L << 30));
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Path spoolFile = dir.resolve("state/spool.db");
        AgentConfig config = ConfigLoader.parse("agent.yml", String.format("""
                site: s1
                state_dir: %s
                window: 1s
                collector: {url: 'http://127.0.0.1:%d', backoff_min: 1s, backoff_max: 2s}
                latency: {interval: 20ms}
                connect: {every: 1s, timeout: 500ms}
                throughput: {every: 1h, first_delay_min: 0s, first_delay_max: 500ms, duration: 1s, loaded_probe_interval: 20ms}
                targets:
                  - {name: hub, host: 127.0.0.1, stamp_port: %d, throughput_port: %d, connect_port: %d}
                  - {name: closed, host: 127.0.0.1, stamp_port: 0, connect_port: %d}
                """, dir.resolve("state"), closedPort, reflector.localPort(), server.localPort(), server.localPort(),
                closedPort), AgentConfig.class);
        AgentRuntime agent = AgentRuntime.start(config, io.linkprobe.agent.push.AgentToken.fixed("token"), null, AgentState.open(dir.resolve("state"), null), "test");
        try {
            awaitSpooled(spoolFile, "throughput", 2, 60);
            awaitSpooled(spoolFile, "health", 4, 30);
        } finally {
            agent.close();
            reflector.close();
            server.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }

        List<Sample> spooled = new ArrayList<>();
        try (SqliteSpool spool = SqliteSpool.open(spoolFile, 64L << 20, 0)) {
            for (Outbox.Batch b = spool.nextBatch(100).orElse(null); b != null; b = spool.nextBatch(100).orElse(null)) {
                spooled.addAll(b.samples());
                spool.remove(b.sequence());
            }
        }
        Plausibility.TimeRange collector = Plausibility.TimeRange.collector(System.currentTimeMillis(), Duration.ofDays(30));
        for (Sample s : spooled) {
            Plausibility.Problem problem = Plausibility.check(s, collector);
            assertNull(problem, () -> "implausible " + problem + " in " + s);
        }
        List<LatencyWindow> windows = only(spooled, LatencyWindow.class);
        List<ThroughputResult> tests = only(spooled, ThroughputResult.class);
        List<ConnectResult> connects = only(spooled, ConnectResult.class);
        List<AgentHealth> health = only(spooled, AgentHealth.class);
        assertTrue(windows.size() >= 3 && windows.stream().allMatch(w -> w.received() > 0), windows.toString());
        assertTrue(windows.stream().allMatch(w -> w.timeoutMillis() != null && w.timeoutMillis() == 3_000));
        for (int i = 1; i < windows.size(); i++) {
            assertEquals(windows.get(i - 1).endEpochMillis(), windows.get(i).startEpochMillis(), "windows chain");
        }
        assertEquals(List.of("down", "up"), tests.stream().map(ThroughputResult::direction).toList());
        for (ThroughputResult t : tests) {
            assertEquals("ok", t.result(), t.message());
            assertNotNull(t.loaded(), "latency under load measured");
        }
        assertTrue(connects.stream().anyMatch(ConnectResult::success), "the open port answered");
        assertTrue(connects.stream().anyMatch(c -> !c.success()), "the closed port refused");
        assertTrue(health.size() >= 4);
        for (AgentHealth h : health) {
            assertEquals(0L, h.implausibleDroppedTotal(), "a healthy agent drops nothing as implausible");
            assertEquals(0L, h.spoolRecoveredTotal());
        }
        System.out.printf("real agent output, all plausible: %d windows, %d throughput results, %d connects, %d health%n",
                windows.size(), tests.size(), connects.size(), health.size());
    }

    private static <T extends Sample> List<T> only(List<Sample> samples, Class<T> kind) {
        return samples.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    /** Polls the spool file (a second connection; WAL lets it read while the agent writes). */
    private static void awaitSpooled(Path spool, String type, int atLeast, int seconds) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < until) {
            try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + spool);
                 Statement st = db.createStatement();
                 ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM samples WHERE CAST(json AS TEXT) LIKE '%\"type\":\""
                         + type + "\"%'")) {
                if (rs.next() && rs.getLong(1) >= atLeast) {
                    return;
                }
            } catch (java.sql.SQLException e) {
                // not created yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("fewer than " + atLeast + " " + type + " results spooled within " + seconds + " s");
    }
}
