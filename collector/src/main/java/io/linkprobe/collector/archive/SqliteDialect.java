package io.linkprobe.collector.archive;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;
import org.sqlite.SQLiteLimits;

/**
 * SQLite in WAL mode: readers (history queries) never block the single writer, and
 * {@code synchronous=FULL} makes each commit survive power loss, which is what an ack promises.
 * Group commit pays for the fsync: ~3,000 one-row transactions/s become ~50,000 rows/s.
 *
 * <p>The archive is the main file ({@code archive.path}: sites, agents, recoveries) and a
 * directory beside it, {@code <archive.path>.d/}, of one file per partition:
 * {@code raw_20250131.db} (the pushes received that UTC day, each with its idempotency key) and
 * {@code rollup_202501.db} (the hourly rollups of that month). Every connection attaches the
 * partitions it needs and reads them through temporary views; a push's key and samples are one
 * row of one file, so they commit together even though a transaction across attached WAL files
 * is atomic only per file. Retention deletes a file: the same cost at 10 GB as at 10 MB.
 */
public final class SqliteDialect implements SqlDialect {
    /** SQLite's compiled-in limit of attached files is 125; a few stay free for salvage and tests. */
    public static final int MAX_PARTITIONS = 120;
    private static final int SQLITE_IOERR = SQLiteErrorCode.SQLITE_IOERR.code;
    private static final int SQLITE_FULL = SQLiteErrorCode.SQLITE_FULL.code;

    private final Path file;
    private final Path dir;

    public SqliteDialect(Path file) {
        this.file = file;
        this.dir = partitionsDir(file);
    }

    /** The directory of {@code file}'s partition files. */
    public static Path partitionsDir(Path file) {
        return file.resolveSibling(file.getFileName() + ".d");
    }

    /** The file of partition {@code p} of the archive {@code file}. */
    public static Path partitionFile(Path file, Partition p) {
        return partitionsDir(file).resolve(p.name() + ".db");
    }

    Path file() {
        return file;
    }

    @Override
    public Connection connect(boolean writer) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        try {
            c.unwrap(SQLiteConnection.class).setLimit(SQLiteLimits.SQLITE_LIMIT_ATTACHED, MAX_PARTITIONS + 5);
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA busy_timeout = 10000");
                s.execute("PRAGMA journal_mode = WAL");
                s.execute("PRAGMA synchronous = FULL");
            }
            return c;
        } catch (SQLException e) {
            c.close();
            throw e;
        }
    }

    @Override
    public List<String> schema() {
        return List.of(
                "CREATE TABLE IF NOT EXISTS agents (agent_id TEXT PRIMARY KEY, site TEXT NOT NULL,"
                        + " acked_sequence INTEGER NOT NULL, last_push_ms INTEGER NOT NULL)",
                "CREATE TABLE IF NOT EXISTS sites (site TEXT PRIMARY KEY, last_push_ms INTEGER NOT NULL,"
                        + " identity TEXT NOT NULL)",
                // Site-hours that received results since they were last rolled up.
                // version counts pushes since the row was read, so that rolling up never forgets a newer one.
                "CREATE TABLE IF NOT EXISTS touched (site TEXT NOT NULL, hour_ms INTEGER NOT NULL,"
                        + " received_ms INTEGER NOT NULL, version INTEGER NOT NULL, PRIMARY KEY (site, hour_ms))"
                        + " WITHOUT ROWID",
                // One row the writer rewrites to find out whether the disk takes writes again.
                "CREATE TABLE IF NOT EXISTS writer_probe (id INTEGER PRIMARY KEY CHECK (id = 1),"
                        + " written_ms INTEGER NOT NULL)",
                Recoveries.SCHEMA);
    }

    /** The tables of one partition file (run on a connection to that file alone). */
    static List<String> partitionSchema(Tier tier) {
        if (tier == Tier.RAW) {
            return List.of(
                    // Agent ids and site names as small numbers, per file: a push's row refers only to its own file.
                    "CREATE TABLE IF NOT EXISTS names (no INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)",
                    "CREATE TABLE IF NOT EXISTS pushes (id INTEGER PRIMARY KEY, agent INTEGER NOT NULL,"
                            + " sequence INTEGER NOT NULL, site INTEGER NOT NULL, received_ms INTEGER NOT NULL,"
                            + " first_end_ms INTEGER NOT NULL, last_end_ms INTEGER NOT NULL, kinds INTEGER NOT NULL,"
                            + " samples INTEGER NOT NULL, data BLOB NOT NULL, UNIQUE (agent, sequence))",
                    "CREATE INDEX IF NOT EXISTS pushes_site ON pushes (site, last_end_ms)");
        }
        return List.of("CREATE TABLE IF NOT EXISTS rollups (id INTEGER PRIMARY KEY, " + RollupRows.COLUMNS_DDL_SQLITE
                + ", UNIQUE (site, target, hour_ms))");
    }

    @Override
    public String describe() {
        return file.toString();
    }

    @Override
    public Set<Partition> partitions(Connection c) throws SQLException {
        Set<Partition> found = new TreeSet<>();
        if (!Files.isDirectory(dir)) {
            return found;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.db")) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                Partition.parse(name.substring(0, name.length() - 3)).ifPresent(found::add);
            }
        } catch (IOException e) {
            throw new SQLException("cannot list the partitions in " + dir + ": " + e.getMessage(), e);
        }
        return found;
    }

    @Override
    public void create(Connection c, Partition p) throws SQLException {
        Path f = partitionFile(file, p);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new SQLException("cannot create the partition directory " + dir + ": " + e.getMessage(), e);
        }
        // Built under another name and renamed into place whole: a reader listing the partition
        // files (another connection of this collector, ArchiveDump) never attaches a file whose
        // tables do not exist yet.
        Path building = f.resolveSibling(f.getFileName() + ".new");
        deleteWithJournals(building);
        try (Connection own = DriverManager.getConnection("jdbc:sqlite:" + building); Statement s = own.createStatement()) {
            if (p.tier() == Tier.RAW) {
                // Before the first table: a raw row (one push, ~0.8 KB) leaves a fifth of a 4 KiB
                // page empty on average, a twentieth of a 16 KiB one (measured: 1,141 → 942 KB/site/day
                // with the string table of PushCodec).
                s.execute("PRAGMA page_size = 16384");
            }
            s.execute("PRAGMA journal_mode = WAL");
            s.execute("PRAGMA synchronous = FULL");
            for (String ddl : partitionSchema(p.tier())) {
                s.execute(ddl);
            }
        }
        try {
            // The last connection's close checkpointed and removed the WAL; one left behind goes along.
            Path wal = building.resolveSibling(building.getFileName() + "-wal");
            if (Files.exists(wal)) {
                Files.move(wal, f.resolveSibling(f.getFileName() + "-wal"), StandardCopyOption.ATOMIC_MOVE);
            }
            Files.deleteIfExists(building.resolveSibling(building.getFileName() + "-shm"));
            Files.move(building, f, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new SQLException("cannot move the new partition " + building + " into place: " + e.getMessage(), e);
        }
    }

    private static void deleteWithJournals(Path f) throws SQLException {
        try {
            for (String suffix : new String[] {"-wal", "-shm", ""}) {
                Files.deleteIfExists(f.resolveSibling(f.getFileName() + suffix));
            }
        } catch (IOException e) {
            throw new SQLException("cannot delete the partition file " + f + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void drop(Connection c, Partition p) throws SQLException {
        // The main file last: a partition with its -wal gone but the file left reads as it was at
        // its last checkpoint, never as something else.
        deleteWithJournals(partitionFile(file, p));
    }

    @Override
    public void show(Connection c, Set<Partition> seen, Set<Partition> wanted) throws SQLException {
        boolean changed = false;
        try (Statement s = c.createStatement()) {
            for (Partition p : seen) {
                if (!wanted.contains(p)) {
                    s.execute("DETACH DATABASE " + p.name());
                    changed = true;
                }
            }
            for (Partition p : wanted) {
                if (!seen.contains(p)) {
                    s.execute("ATTACH DATABASE '" + partitionFile(file, p).toString().replace("'", "''") + "' AS " + p.name());
                    s.execute("PRAGMA " + p.name() + ".journal_mode = WAL");
                    s.execute("PRAGMA " + p.name() + ".synchronous = FULL");
                    changed = true;
                }
            }
            if (changed || seen.isEmpty()) {
                for (String ddl : views(wanted)) {
                    s.execute(ddl);
                }
            }
        }
    }

    /** The connection's temporary views over the partitions it has attached. */
    static List<String> views(Set<Partition> parts) {
        List<String> raw = new ArrayList<>();
        List<String> hourly = new ArrayList<>();
        for (Partition p : parts) {
            String n = p.name();
            if (p.tier() == Tier.RAW) {
                raw.add("SELECT a.name AS agent_id, p.sequence AS sequence, s.name AS site, p.received_ms AS received_ms,"
                        + " p.first_end_ms AS first_end_ms, p.last_end_ms AS last_end_ms, p.kinds AS kinds,"
                        + " p.samples AS samples, p.data AS data FROM " + n + ".pushes p JOIN " + n + ".names a"
                        + " ON a.no = p.agent JOIN " + n + ".names s ON s.no = p.site");
            } else {
                hourly.add("SELECT " + RollupRows.COLUMNS + " FROM " + n + ".rollups");
            }
        }
        if (raw.isEmpty()) {
            raw.add("SELECT NULL AS agent_id, 0 AS sequence, NULL AS site, 0 AS received_ms, 0 AS first_end_ms,"
                    + " 0 AS last_end_ms, 0 AS kinds, 0 AS samples, NULL AS data WHERE 0");
        }
        if (hourly.isEmpty()) {
            hourly.add("SELECT " + RollupRows.EMPTY_SELECT + " WHERE 0");
        }
        return List.of("DROP VIEW IF EXISTS temp.pushes_v", "DROP VIEW IF EXISTS temp.rollups_v",
                "CREATE TEMP VIEW pushes_v AS " + String.join(" UNION ALL ", raw),
                "CREATE TEMP VIEW rollups_v AS " + String.join(" UNION ALL ", hourly));
    }

    @Override
    public String table(Partition p, String table) {
        return p.name() + "." + table;
    }

    @Override
    public String greatest() {
        return "max";
    }

    @Override
    public int maxPartitions() {
        return MAX_PARTITIONS;
    }

    /**
     * SQLITE_FULL, and the SQLITE_IOERR family: on a full filesystem SQLite reports either (a WAL
     * write gets SQLITE_FULL, growing the shared-memory file SQLITE_IOERR_SHMSIZE).
     */
    @Override
    public ArchiveWriteException.Kind classify(SQLException e) {
        int code = primaryCode(e);
        if (code == SQLITE_FULL || code == SQLITE_IOERR) {
            return ArchiveWriteException.Kind.FULL;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.io.IOException io && io.getMessage() != null && io.getMessage().contains("No space left")) {
                return ArchiveWriteException.Kind.FULL;
            }
        }
        return ArchiveWriteException.Kind.ERROR;
    }

    /** SQLite's primary result code of the first {@link SQLiteException} in the causes, or -1. */
    static int primaryCode(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLiteException s && s.getResultCode() != null) {
                return s.getResultCode().code & 0xff;
            }
        }
        return -1;
    }
}
