package io.linkprobe.collector.pg;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL 15 for tests, started from Debian's binaries ({@code initdb} and {@code pg_ctl}
 * in {@code /usr/lib/postgresql/15/bin}) in a temporary directory, on a free port of 127.0.0.1,
 * with trust authentication for the user {@code linkprobe}. PostgreSQL refuses to run as root, so
 * under root it runs as the {@code postgres} user in a directory that user owns. {@link #stop} and
 * {@link #start} stop and start the same server (for connection-loss tests); {@link #close} stops
 * it and deletes the directory. Only the processes it starts are stopped, through {@code pg_ctl}.
 */
public final class PostgresServer implements AutoCloseable {
    public static final Path BIN = Path.of(System.getProperty("linkprobe.pg.bin", "/usr/lib/postgresql/15/bin"));
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static PostgresServer shared;

    private final Path dir;
    private final Path data;
    private final int port;
    private final boolean asPostgres;

    private PostgresServer(Path dir, int port, boolean asPostgres) {
        this.dir = dir;
        this.data = dir.resolve("data");
        this.port = port;
        this.asPostgres = asPostgres;
    }

    /** Null if a server can be started here; otherwise why not, as one line for a skipped test. */
    public static String unavailableReason() {
        if (!Files.isExecutable(BIN.resolve("initdb")) || !Files.isExecutable(BIN.resolve("pg_ctl"))) {
            return "PostgreSQL is not installed (no " + BIN.resolve("initdb") + "; apt-get install postgresql)";
        }
        if (isRoot() && !Files.isExecutable(Path.of("/usr/sbin/runuser"))) {
            return "running as root without runuser to start PostgreSQL as the postgres user";
        }
        return null;
    }

    /** One server for every test of this JVM that does not stop it; stopped when the JVM exits. */
    public static synchronized PostgresServer shared() throws IOException, InterruptedException {
        if (shared == null) {
            shared = start(true);
            PostgresServer s = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(s::close, "postgres-stop"));
        }
        return shared;
    }

    /** A server of its own (for a test that stops and starts it). */
    public static PostgresServer startOwn() throws IOException, InterruptedException {
        return start(true);
    }

    private static PostgresServer start(boolean run) throws IOException, InterruptedException {
        boolean root = isRoot();
        Path dir = Files.createTempDirectory("linkprobe-pg-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        if (root) {
            UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
            Files.setOwner(dir, users.lookupPrincipalByName("postgres"));
        }
        PostgresServer s = new PostgresServer(dir, freePort(), root);
        s.run(60, BIN.resolve("initdb").toString(), "-D", s.data.toString(), "-U", "linkprobe", "-A", "trust",
                "-E", "UTF8", "--no-sync", "--locale=C");
        if (run) {
            s.start();
        }
        return s;
    }

    public int port() {
        return port;
    }

    /** A JDBC URL of a new, empty database on this server. */
    public String newDatabase() throws SQLException {
        String name = "linkprobe_test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection c = DriverManager.getConnection(url("postgres")); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return url(name);
    }

    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=linkprobe";
    }

    /** Starts the server (again), waiting until it accepts connections. */
    public void start() throws IOException, InterruptedException {
        run(120, BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("server.log").toString(),
                "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c max_connections=200", "-w",
                "-t", "90", "start");
    }

    /** Stops the server at once (open connections are cut, as when a database host goes down). */
    public void stop() throws IOException, InterruptedException {
        run(120, BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "-t", "90", "stop");
    }

    @Override
    public void close() {
        try {
            if (Files.exists(data.resolve("postmaster.pid"))) {
                stop();
            }
        } catch (IOException | InterruptedException e) {
            System.err.println("stopping the test PostgreSQL in " + dir + " failed: " + e);
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("deleting " + dir + " failed: " + e);
        }
    }

    private void run(int timeoutSeconds, String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        if (asPostgres) {
            cmd.addAll(List.of("/usr/sbin/runuser", "-u", "postgres", "--"));
        }
        cmd.addAll(List.of(command));
        Path out = Files.createTempFile("linkprobe-pg-cmd", ".log");
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
            }
            if (p.exitValue() != 0) {
                String log = Files.exists(dir.resolve("server.log")) && asPostgres
                        ? "" : "";
                throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + ": "
                        + Files.readString(out, StandardCharsets.UTF_8) + log);
            }
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
