package io.linkprobe.demo.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The real agent jar as a process: one site, one STAMP target (the collector's embedded
 * reflector), 5 s windows. Every start is recorded, and every stop with how it ended (SIGKILL or
 * SIGTERM): the ledger needs the boot boundaries to tell a gap at a restart from a loss.
 */
final class AgentNode implements AutoCloseable {
    static final List<String> JVM = List.of("-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    static final long WINDOW_MILLIS = 5_000;

    final String site;
    final String agentId;
    final Path dir;
    private final JarProcess process;
    private final List<Ledger.Boot> boots = new ArrayList<>();

    AgentNode(Path dir, Path jar, String site, CollectorNode collector, String token) throws IOException {
        this(dir, jar, site, "{url: 'http://127.0.0.1:" + collector.httpPort + "'", collector.stampPort, token);
    }

    /**
     * An agent that lists several collectors ({@code collector.urls}), its STAMP target the
     * embedded reflector at {@code stampPort}.
     */
    AgentNode(Path dir, Path jar, String site, List<CollectorNode> collectors, int stampPort, String token)
            throws IOException {
        this(dir, jar, site, "{urls: [" + String.join(", ", collectors.stream()
                .map(c -> "'http://127.0.0.1:" + c.httpPort + "'").toList()) + "]", stampPort, token);
    }

    /** @param collectorYaml {@code collector:} up to its token_file, which is added here */
    private AgentNode(Path dir, Path jar, String site, String collectorYaml, int stampPort, String token)
            throws IOException {
        this.site = site;
        this.agentId = "agent-" + site;
        this.dir = Files.createDirectories(dir);
        writeToken(token);
        Files.writeString(dir.resolve("agent.yml"), String.format("""
                site: %s
                agent_id: %s
                state_dir: %s
                window: 5s
                collector: %s, token_file: %s}
                latency: {interval: 100ms, timeout: 1s}
                targets: [{name: hub, host: 127.0.0.1, stamp_port: %d}]
                """, site, agentId, dir.resolve("state"), collectorYaml, dir.resolve("token"), stampPort));
        this.process = new JarProcess(agentId, jar, JVM, List.of("run", "--config", dir.resolve("agent.yml").toString()),
                dir.resolve("agent.log"));
    }

    Path spool() {
        return dir.resolve("state/spool.db");
    }

    JarProcess process() {
        return process;
    }

    void start() throws IOException {
        boots.add(new Ledger.Boot(System.currentTimeMillis()));
        process.start();
    }

    void kill9() throws InterruptedException {
        process.kill9();
        boots.get(boots.size() - 1).killed = true;
    }

    void stop() throws InterruptedException {
        process.terminate();
    }

    /** The token the agent reads from its token file (as an operator installs it: atomically). */
    void writeToken(String token) throws IOException {
        Path tmp = dir.resolve("token.tmp");
        Files.writeString(tmp, token + "\n");
        Files.move(tmp, dir.resolve("token"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    List<Ledger.Boot> boots() {
        return boots;
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
