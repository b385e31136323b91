package io.linkprobe.demo.chaos;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A collector and N agents from the built jars, as separate processes on loopback, in a directory
 * of their own under {@code target/chaos} (logs, configs, archive and spools stay there for a look
 * after a failure). Everything it started is killed by its handle on {@link #close}, whatever
 * happened.
 */
final class Rig implements AutoCloseable {
    static final Path AGENT_JAR = Path.of(System.getProperty("linkprobe.agent.jar", "../agent/target/linkprobe-agent.jar"));
    static final Path COLLECTOR_JAR =
            Path.of(System.getProperty("linkprobe.collector.jar", "../collector/target/linkprobe-collector.jar"));
    static final Path SUMMARY = Path.of("target", "chaos", "summary.txt");

    final String scenario;
    final Path dir;
    final CollectorNode collector;
    final List<AgentNode> agents = new ArrayList<>();
    final Map<String, String> tokens = new HashMap<>();
    /** Spool files an agent was given instead of its own (the test corrupted them), per site. */
    final Map<String, List<Ledger.SpoolFile>> replacedSpools = new HashMap<>();
    private final long started = System.nanoTime();

    private Rig(String scenario, int agentCount, Path archive) throws IOException {
        assertTrue(Files.isRegularFile(AGENT_JAR), AGENT_JAR + " is built by mvn package (run the chaos tests through mvn verify)");
        assertTrue(Files.isRegularFile(COLLECTOR_JAR), COLLECTOR_JAR + " is built by mvn package");
        this.scenario = scenario;
        this.dir = Files.createDirectories(Path.of("target", "chaos",
                scenario + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("HHmmss")))).toAbsolutePath();
        Path archiveFile = archive != null ? archive : dir.resolve("collector/archive.db");
        this.collector = new CollectorNode(dir.resolve("collector"), COLLECTOR_JAR, archiveFile);
        for (int i = 1; i <= agentCount; i++) {
            String site = "s" + i;
            String token = "tok-" + site + "-" + UUID.randomUUID();
            tokens.put(site, token);
            collector.admit(site, token);
            agents.add(new AgentNode(dir.resolve(site), AGENT_JAR, site, collector, token));
        }
    }

    /** A rig whose collector keeps its archive at {@code archive} (null: in the rig's directory). */
    static Rig start(String scenario, int agents, Path archive) throws Exception {
        Rig rig = new Rig(scenario, agents, archive);
        try {
            rig.collector.start(Duration.ofSeconds(90));
            for (AgentNode a : rig.agents) {
                a.start();
            }
            return rig;
        } catch (Exception | AssertionError e) {
            rig.close();
            throw e;
        }
    }

    static Rig start(String scenario, int agents) throws Exception {
        return start(scenario, agents, null);
    }

    AgentNode agent(String site) {
        return agents.stream().filter(a -> a.site.equals(site)).findFirst().orElseThrow();
    }

    /** Waits until every agent has at least {@code n} latency windows in the archive. */
    void awaitArchivedWindows(int n, Duration bound) throws Exception {
        long until = System.nanoTime() + bound.toNanos();
        while (true) {
            Map<String, Long> windows = new HashMap<>();
            for (Result r : Result.archive(collector.archive())) {
                if (r.type().equals("latency")) {
                    windows.merge(r.site(), 1L, Long::sum);
                }
            }
            if (agents.stream().allMatch(a -> windows.getOrDefault(a.site, 0L) >= n)) {
                return;
            }
            if (System.nanoTime() > until) {
                throw new AssertionError("windows archived after " + bound + ": " + windows + " (wanted " + n + " each)");
            }
            Thread.sleep(500);
        }
    }

    /** The wall-clock end of the newest window the archive holds for {@code site}, or 0. */
    long lastWindowEnd(String site) throws Exception {
        return Result.archive(collector.archive()).stream()
                .filter(r -> r.site().equals(site) && r.type().equals("latency"))
                .mapToLong(Result::end).max().orElse(0);
    }

    /** Sleeps until {@code offsetMillis} after {@code site}'s next window closes (when it pushes). */
    void sleepUntilAfterNextWindow(String site, long offsetMillis) throws Exception {
        long last = lastWindowEnd(site);
        long now = System.currentTimeMillis();
        long next = last + AgentNode.WINDOW_MILLIS;
        while (next < now) {
            next += AgentNode.WINDOW_MILLIS;
        }
        Thread.sleep(next - now + offsetMillis);
    }

    /**
     * Seconds from {@code since} until no agent's spool holds a result measured before it: the
     * spooled results have reached the archive (rows leave a spool only after the collector's ack,
     * which follows its commit). Polled every 250 ms; fails after {@code bound}.
     */
    double catchUp(long since, Duration bound) throws Exception {
        long until = System.nanoTime() + bound.toNanos();
        while (true) {
            boolean behind = false;
            for (AgentNode a : agents) {
                try {
                    behind |= Result.spooled(a.spool(), a.site, a.agentId).stream().anyMatch(r -> r.end() < since);
                } catch (SQLException e) {
                    behind = true; // the agent is writing; look again
                }
            }
            if (!behind) {
                return (System.currentTimeMillis() - since) / 1000.0;
            }
            if (System.nanoTime() > until) {
                throw new AssertionError("spooled results measured before " + since + " were still not delivered "
                        + bound + " later");
            }
            Thread.sleep(250);
        }
    }

    /**
     * Ends the scenario: the collector up, each agent's spool given up to {@code drain} to empty,
     * the agents stopped as systemd stops them (SIGTERM: each files its partial window and tries
     * to push it), then the collector; and counts.
     */
    Ledger.Tally finish(Duration drain) throws Exception {
        return finish(drain, List.of());
    }

    /** As above, with the results an archive held before the test destroyed it. */
    Ledger.Tally finish(Duration drain, List<Result> formerlyArchived) throws Exception {
        long until = System.nanoTime() + drain.toNanos();
        for (AgentNode a : agents) {
            while (System.nanoTime() < until && !Result.spooled(a.spool(), a.site, a.agentId).isEmpty()) {
                Thread.sleep(250);
            }
        }
        for (AgentNode a : agents) {
            a.stop();
        }
        collector.stop();
        List<Ledger.Agent> books = new ArrayList<>();
        for (AgentNode a : agents) {
            List<Ledger.SpoolFile> spools = new ArrayList<>(replacedSpools.getOrDefault(a.site, List.of()));
            spools.add(new Ledger.SpoolFile(Result.spooledTotal(a.spool()), null));
            books.add(new Ledger.Agent(a.site, a.agentId, a.boots(), spools, Result.spooled(a.spool(), a.site, a.agentId)));
        }
        return Ledger.count(scenario, Result.archive(collector.archive()), formerlyArchived, books, AgentNode.WINDOW_MILLIS);
    }

    /** Prints a line for the report (stdout and target/chaos/summary.txt). */
    void report(String line) throws IOException {
        String stamped = line + "\n";
        System.out.print(stamped);
        Files.createDirectories(SUMMARY.getParent());
        Files.writeString(SUMMARY, stamped, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    void report(Ledger.Tally t, String extra) throws IOException {
        report(t.line() + String.format(", %.0f s", (System.nanoTime() - started) / 1e9) + (extra.isEmpty() ? "" : "; " + extra));
        for (String p : t.problems().subList(0, Math.min(10, t.problems().size()))) {
            report("    " + p);
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (AgentNode a : agents) {
            a.close();
        }
        collector.close();
    }
}
