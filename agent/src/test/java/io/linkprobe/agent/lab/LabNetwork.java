package io.linkprobe.agent.lab;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One link lab (site, router and hub namespaces, see {@code lab/lab.sh}) for the length of a test.
 * Processes started through it run inside the namespaces and are stopped, by pid, on close, before
 * the namespaces are removed; a JVM shutdown hook does the same if the test run is interrupted.
 *
 * <pre>
 * try (LabNetwork lab = LabNetwork.up(LinkSpec.shapedMbit(10, 2).withDelayMillis(20))) {
 *     Process server = lab.startInHub(List.of("iperf3", "-s"));
 *     ProcessResult r = lab.runInSite(Duration.ofSeconds(30), List.of("iperf3", "-c", lab.hubAddress()));
 * }
 * </pre>
 */
public final class LabNetwork implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LabNetwork.class);
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration LISTEN_POLL = Duration.ofMillis(50);

    private final String name;
    private final Map<String, String> facts;
    private final Path logDir;
    private final List<Process> started = new CopyOnWriteArrayList<>();
    private final Map<Process, Path> logs = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook;

    private LabNetwork(String name, Map<String, String> facts, Path logDir) {
        this.name = name;
        this.facts = facts;
        this.logDir = logDir;
        this.shutdownHook = new Thread(this::teardown, "lab-teardown-" + name);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Builds the lab, or skips the calling test (JUnit assumption) where the machine cannot. */
    public static LabNetwork up(LinkSpec spec) {
        LabPreconditions.assumeLabAvailable();
        String name = "lp" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
        Path logDir = Path.of("target", "lab", name).toAbsolutePath();
        // Labs left by a test JVM that was killed outright (no shutdown hook ran) go first.
        script(logDir, List.of("gc"));
        List<String> args = new ArrayList<>(List.of("up", "--name", name,
                "--owner-pid", Long.toString(ProcessHandle.current().pid())));
        args.addAll(spec.labArguments());
        ProcessResult result = script(logDir, args);
        if (!result.succeeded()) {
            script(logDir, List.of("down", "--name", name));   // lab.sh cleans up after itself; a timeout may not
            result.requireSuccess();
        }
        Map<String, String> facts = new HashMap<>();
        result.stdout().lines().filter(l -> l.contains("=")).forEach(l -> {
            int eq = l.indexOf('=');
            facts.put(l.substring(0, eq), l.substring(eq + 1));
        });
        log.info("lab {} up: {} (site {}, hub {})", name, spec, facts.get("site_addr"), facts.get("hub_addr"));
        return new LabNetwork(name, Map.copyOf(facts), logDir);
    }

    public String hubAddress() {
        return facts.get("hub_addr");
    }

    /** Where the output of every process started here is kept. */
    public Path logDir() {
        return logDir;
    }

    /** Starts a command in the hub namespace; its output goes to a file, see {@link #output}. */
    public Process startInHub(List<String> command) {
        return start(inNamespace("hub_ns", command));
    }

    public Process startInSite(List<String> command) {
        return start(inNamespace("site_ns", command));
    }

    public ProcessResult runInSite(Duration timeout, List<String> command) {
        return Processes.run(inNamespace("site_ns", command), timeout, logDir);
    }

    public ProcessResult runInHub(Duration timeout, List<String> command) {
        return Processes.run(inNamespace("hub_ns", command), timeout, logDir);
    }

    /** Everything a process started by {@link #startInHub}/{@link #startInSite} has written so far. */
    public String output(Process process) {
        Path log = logs.get(process);
        return log == null ? "(not started by lab " + name + ")" : Processes.read(log);
    }

    /**
     * Waits until a server in the hub listens on {@code port} ({@code tcp} or {@code udp}); fails
     * early, with its output, if the server has exited instead.
     */
    public void awaitHubListening(Process server, String protocol, int port, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String flag = protocol.equals("udp") ? "-Hlnu" : "-Hlnt";
        while (System.nanoTime() < deadline) {
            ProcessResult ss = runInHub(Duration.ofSeconds(5), List.of("ss", flag, "sport", "=", ":" + port));
            if (ss.succeeded() && !ss.stdout().isBlank()) return;
            if (!server.isAlive()) {
                throw new AssertionError("server exited (" + server.exitValue() + ") before listening on "
                        + protocol + "/" + port + ":\n" + output(server));
            }
            sleep(LISTEN_POLL);
        }
        throw new AssertionError("nothing listens on " + protocol + "/" + port + " in the hub after " + timeout);
    }

    /** The delay line's counters now (packets in, lost, late, ...), per direction. */
    public DelayLineStats delayLineStats() {
        ProcessResult result = script(logDir, List.of("stats", "--name", name)).requireSuccess();
        return DelayLineStats.parse(result.stdout());
    }

    /** Stops the processes started here (by pid), then removes the namespaces and the delay line. */
    @Override
    public void close() {
        teardown();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run: nothing to remove
        }
    }

    private void teardown() {
        if (!closed.compareAndSet(false, true)) return;
        List<Process> reversed = new ArrayList<>(started);
        Collections.reverse(reversed);
        reversed.forEach(Processes::stop);
        ProcessResult down = script(logDir, List.of("down", "--name", name));
        if (!down.succeeded()) log.warn("lab {} teardown: {}", name, down.stderr());
        log.info("lab {} removed", name);
    }

    private Process start(List<String> command) {
        Path log = Processes.logFile(logDir, command, "log");
        Process process = Processes.start(command, log);
        started.add(process);
        logs.put(process, log);
        return process;
    }

    private List<String> inNamespace(String role, List<String> command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", facts.get(role)));
        full.addAll(command);
        return full;
    }

    private static ProcessResult script(Path logDir, List<String> args) {
        List<String> command = new ArrayList<>(List.of("bash", LabScript.path().toString()));
        command.addAll(args);
        return Processes.run(command, SCRIPT_TIMEOUT, logDir);
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
