package io.linkprobe.demo.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.linkprobe.collector.archive.ArchiveDump;
import io.linkprobe.collector.pg.PostgresServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Collectors that fail over (issue 15): two collectors from the real jar sharing one real
 * PostgreSQL archive, three real agents listing both in {@code collector.urls}. Collector A is
 * killed with -9 right after the agents' windows close (while they push), comes back; then B is
 * killed the same way. At the end the results in PostgreSQL are counted against what the agents
 * produced (the {@link Ledger}): lost 0, duplicated 0, and no push key stored twice.
 */
@Tag("lab")
class FailoverChaosIT {
    @Test
    @Timeout(300)
    void twoCollectorsOnOnePostgresKilledInTurnLoseNothingAndStoreNothingTwice() throws Exception {
        String unavailable = PostgresServer.unavailableReason();
        assumeTrue(unavailable == null, () -> "skipped: " + unavailable);
        long started = System.nanoTime();
        Path dir = Files.createDirectories(Path.of("target", "chaos",
                "failover-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("HHmmss")))).toAbsolutePath();
        try (PostgresServer pg = PostgresServer.startOwn(); Nodes n = new Nodes()) {
            String url = pg.newDatabase();
            CollectorNode a = n.add(new CollectorNode(dir.resolve("collector-a"), Rig.COLLECTOR_JAR, "{url: '" + url + "'}"));
            CollectorNode b = n.add(new CollectorNode(dir.resolve("collector-b"), Rig.COLLECTOR_JAR, "{url: '" + url + "'}"));
            for (int i = 1; i <= 3; i++) {
                String site = "s" + i;
                String token = "tok-" + site + "-" + UUID.randomUUID();
                a.admit(site, token);
                b.admit(site, token);
                n.agents.add(new AgentNode(dir.resolve(site), Rig.AGENT_JAR, site, List.of(a, b), a.stampPort, token));
            }
            a.start(Duration.ofSeconds(90));
            b.start(Duration.ofSeconds(90));
            for (AgentNode agent : n.agents) {
                agent.start();
            }
            awaitWindows(url, n.agents, 2, Duration.ofSeconds(90));

            sleepUntilAfterNextWindow(url, 30);
            a.kill9();
            for (AgentNode agent : n.agents) {
                assertTrue(agent.process().awaitLog(Pattern.compile("failing over to http://127\\.0\\.0\\.1:" + b.httpPort),
                        Duration.ofSeconds(30)), agent.site + " fails over to B");
            }
            awaitWindows(url, n.agents, 4, Duration.ofSeconds(60)); // stored through B alone
            a.start(Duration.ofSeconds(90));

            sleepUntilAfterNextWindow(url, 30);
            b.kill9();
            for (AgentNode agent : n.agents) {
                assertTrue(agent.process().awaitLog(Pattern.compile("failing over to http://127\\.0\\.0\\.1:" + a.httpPort),
                        Duration.ofSeconds(30)), agent.site + " fails over back to A");
            }
            awaitWindows(url, n.agents, 6, Duration.ofSeconds(60)); // through A alone
            b.start(Duration.ofSeconds(90));

            // Drain, stop the agents as systemd does (each pushes its partial window), then the collectors.
            long until = System.nanoTime() + Scenarios.DRAIN.toNanos();
            for (AgentNode agent : n.agents) {
                while (System.nanoTime() < until && !Result.spooled(agent.spool(), agent.site, agent.agentId).isEmpty()) {
                    Thread.sleep(250);
                }
            }
            for (AgentNode agent : n.agents) {
                agent.stop();
            }
            a.stop();
            b.stop();
            List<Ledger.Agent> books = new ArrayList<>();
            for (AgentNode agent : n.agents) {
                books.add(new Ledger.Agent(agent.site, agent.agentId, agent.boots(),
                        List.of(new Ledger.SpoolFile(Result.spooledTotal(agent.spool()), null)),
                        Result.spooled(agent.spool(), agent.site, agent.agentId)));
            }
            Ledger.Tally t = Ledger.count("failover-2-collectors", Result.archivePostgres(url), books, AgentNode.WINDOW_MILLIS);
            List<ArchiveDump.Push> pushes = ArchiveDump.postgres(url, null);
            Map<String, Integer> keys = new HashMap<>();
            pushes.forEach(p -> keys.merge(p.key(), 1, Integer::sum));
            long keysTwice = keys.values().stream().filter(c -> c > 1).count();
            report(t.line() + String.format(", %.0f s; 2 collectors on one PostgreSQL, A then B killed -9 under pushes; "
                    + "%d pushes stored, %d push keys stored twice", (System.nanoTime() - started) / 1e9, pushes.size(), keysTwice));
            for (String p : t.problems().subList(0, Math.min(10, t.problems().size()))) {
                report("    " + p);
            }
            assertEquals(0, keysTwice, "a push key stored twice in the shared archive");
            Scenarios.assertNothingLostOrDuplicated(t);
        }
    }

    /** Waits until every agent has at least {@code count} latency windows in PostgreSQL. */
    private static void awaitWindows(String url, List<AgentNode> agents, int count, Duration bound) throws Exception {
        long until = System.nanoTime() + bound.toNanos();
        while (true) {
            Map<String, Long> windows = new HashMap<>();
            for (Result r : Result.archivePostgres(url)) {
                if (r.type().equals("latency")) {
                    windows.merge(r.site(), 1L, Long::sum);
                }
            }
            if (agents.stream().allMatch(a -> windows.getOrDefault(a.site, 0L) >= count)) {
                return;
            }
            if (System.nanoTime() > until) {
                throw new AssertionError("windows archived after " + bound + ": " + windows + " (wanted " + count + " each)");
            }
            Thread.sleep(500);
        }
    }

    /** Sleeps until {@code offsetMillis} after s1's next window closes (when the agents push). */
    private static void sleepUntilAfterNextWindow(String url, long offsetMillis) throws Exception {
        long last = Result.archivePostgres(url).stream().filter(r -> r.site().equals("s1") && r.type().equals("latency"))
                .mapToLong(Result::end).max().orElse(0);
        long now = System.currentTimeMillis();
        long next = last + AgentNode.WINDOW_MILLIS;
        while (next < now) {
            next += AgentNode.WINDOW_MILLIS;
        }
        Thread.sleep(next - now + offsetMillis);
    }

    private static void report(String line) throws java.io.IOException {
        System.out.println(line);
        Files.createDirectories(Rig.SUMMARY.getParent());
        Files.writeString(Rig.SUMMARY, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Everything started, killed by its handle on close, whatever happened. */
    private static final class Nodes implements AutoCloseable {
        final List<CollectorNode> collectors = new ArrayList<>();
        final List<AgentNode> agents = new ArrayList<>();

        CollectorNode add(CollectorNode c) {
            collectors.add(c);
            return c;
        }

        @Override
        public void close() throws InterruptedException {
            for (AgentNode a : agents) {
                a.close();
            }
            for (CollectorNode c : collectors) {
                c.close();
            }
        }
    }
}
