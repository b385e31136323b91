package io.linkprobe.collector.archive;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.CRC32C;

/**
 * The writer's SQL on the writer's connection, used by the writer thread only: storing a push
 * (its key checked across every raw partition, then one row in the partition of the day it was
 * received), the agents' acked sequences, the sites, the site-hours to roll up again, and the
 * rollups themselves. Prepared statements are kept per partition table.
 *
 * <p>Where several collectors share the database ({@link SqlDialect#keyLockSql}), the key is
 * locked for the rest of the transaction before it is looked up, so two collectors storing the same
 * push at once store it once: the second waits for the first's commit and then finds its row.
 */
final class WriteStatements implements AutoCloseable {
    private final Connection connection;
    private final SqlDialect dialect;
    private final Partitions partitions;
    private final Set<Partition> seen = new TreeSet<>();
    private long seenVersion = -1;
    private final PreparedStatement lockKey;
    private final PreparedStatement findPush;
    private final PreparedStatement upsertAgent;
    private final PreparedStatement findAgent;
    private final PreparedStatement upsertSite;
    private final PreparedStatement touch;
    private final PreparedStatement probe;
    private final Map<String, PreparedStatement> byTable = new HashMap<>();
    /** Name numbers per names table: committed ones, and those written in the open transaction. */
    private final Map<String, Map<String, Long>> names = new HashMap<>();
    private final Map<String, Map<String, Long>> pendingNames = new HashMap<>();

    WriteStatements(Connection c, SqlDialect dialect, Partitions partitions) throws SQLException {
        this.connection = c;
        this.dialect = dialect;
        this.partitions = partitions;
        String max = dialect.greatest();
        prepare(List.of()); // the views over the partitions, which the statements below read
        lockKey = dialect.keyLockSql() == null ? null : c.prepareStatement(dialect.keyLockSql());
        findPush = c.prepareStatement("SELECT site FROM pushes_v WHERE agent_id = ? AND sequence = ?");
        findAgent = c.prepareStatement("SELECT acked_sequence FROM agents WHERE agent_id = ?");
        upsertAgent = c.prepareStatement("INSERT INTO agents (agent_id, site, acked_sequence, last_push_ms)"
                + " VALUES (?, ?, ?, ?) ON CONFLICT (agent_id) DO UPDATE SET site = excluded.site,"
                + " acked_sequence = " + max + "(agents.acked_sequence, excluded.acked_sequence),"
                + " last_push_ms = " + max + "(agents.last_push_ms, excluded.last_push_ms) RETURNING acked_sequence");
        upsertSite = c.prepareStatement("INSERT INTO sites (site, last_push_ms, identity) VALUES (?, ?, ?)"
                + " ON CONFLICT (site) DO UPDATE SET last_push_ms = " + max + "(sites.last_push_ms, excluded.last_push_ms),"
                + " identity = excluded.identity");
        touch = c.prepareStatement("INSERT INTO touched (site, hour_ms, received_ms, version) VALUES (?, ?, ?, 0)"
                + " ON CONFLICT (site, hour_ms) DO UPDATE SET received_ms = excluded.received_ms,"
                + " version = touched.version + 1");
        probe = c.prepareStatement("INSERT INTO writer_probe (id, written_ms) VALUES (1, ?)"
                + " ON CONFLICT (id) DO UPDATE SET written_ms = excluded.written_ms");
    }

    /** The connection these statements run on (the writer's, in manual-commit mode). */
    Connection connection() {
        return connection;
    }

    SqlDialect dialect() {
        return dialect;
    }

    /**
     * Outside any transaction: creates the partitions in {@code needed} that do not exist yet, and
     * makes this connection see every partition there is.
     */
    void prepare(Collection<Partition> needed) throws SQLException {
        boolean missing = false;
        for (Partition p : needed) {
            missing |= !partitions.contains(p);
        }
        if (!missing && seenVersion == partitions.version()) {
            return;
        }
        connection.setAutoCommit(true);
        try {
            for (Partition p : needed) {
                if (!partitions.contains(p)) {
                    dialect.create(connection, p);
                    partitions.add(p);
                }
            }
            sync();
        } finally {
            connection.setAutoCommit(false);
        }
    }

    /** Outside any transaction: drops {@code p} whole (this connection stops seeing it first). */
    void drop(Partition p) throws SQLException {
        connection.setAutoCommit(true);
        try {
            partitions.remove(p);
            sync();
            dialect.drop(connection, p);
        } finally {
            connection.setAutoCommit(false);
        }
    }

    private void sync() throws SQLException {
        long version = partitions.version();
        Set<Partition> wanted = partitions.all();
        for (Partition p : seen) {
            if (!wanted.contains(p)) {
                closeStatementsOf(p);
            }
        }
        dialect.show(connection, seen, wanted);
        seen.clear();
        seen.addAll(wanted);
        seenVersion = version;
    }

    private void closeStatementsOf(Partition p) throws SQLException {
        for (String table : List.of("names", "pushes", "rollups")) {
            String name = dialect.table(p, table);
            PreparedStatement s = byTable.remove(name + "#insert");
            if (s != null) {
                s.close();
            }
            for (String purpose : List.of("#find", "#salvage")) {
                s = byTable.remove(name + purpose);
                if (s != null) {
                    s.close();
                }
            }
            names.remove(name);
            pendingNames.remove(name);
        }
    }

    /** The open transaction committed: names it wrote are known for good. */
    void committed() {
        pendingNames.forEach((table, m) -> names.computeIfAbsent(table, t -> new HashMap<>()).putAll(m));
        pendingNames.clear();
    }

    /** Writes were undone (one job, or the transaction): forget what they may have written. */
    void undone() {
        pendingNames.clear();
    }

    /** Rewrites the one probe row: a real write of one page, to learn whether the disk takes writes. */
    void probe(long nowMillis) throws SQLException {
        probe.setLong(1, nowMillis);
        probe.executeUpdate();
    }

    /** Stores {@code batch} unless its key is already there; the caller's transaction commits it. */
    StoreResult store(ArchiveBatch batch) throws SQLException {
        if (lockKey != null) {
            lockKey.setLong(1, keyHash(batch.agentId(), batch.sequence()));
            lockKey.execute();
        }
        String storedFor = storedFor(batch.agentId(), batch.sequence());
        if (storedFor != null) {
            boolean same = storedFor.equals(batch.site());
            if (same) {
                touch(batch); // harmless, and heals a rollup that missed it
            }
            return new StoreResult(same ? StoreResult.Outcome.DUPLICATE : StoreResult.Outcome.CONFLICT,
                    ackedSequence(batch.agentId()));
        }
        Partition p = batch.partition();
        long agent = nameNo(p, batch.agentId());
        long site = nameNo(p, batch.site());
        PreparedStatement insert = statement(p, "pushes", "#insert", "INSERT INTO " + dialect.table(p, "pushes")
                + " (agent, sequence, site, received_ms, first_end_ms, last_end_ms, kinds, samples, data)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
        insert.setLong(1, agent);
        insert.setLong(2, batch.sequence());
        insert.setLong(3, site);
        insert.setLong(4, batch.receivedMillis());
        insert.setLong(5, batch.firstEndMillis());
        insert.setLong(6, batch.lastEndMillis());
        insert.setInt(7, batch.kinds());
        insert.setInt(8, batch.sampleCount());
        insert.setBytes(9, batch.data());
        if (insert.executeUpdate() != 1) {
            throw new SQLException("storing " + batch.agentId() + "/" + batch.sequence() + " wrote no row");
        }
        touch(batch);
        long acked = upsertAgent(batch.agentId(), batch.site(), batch.sequence(), batch.receivedMillis());
        upsertSite.setString(1, batch.site());
        upsertSite.setLong(2, batch.receivedMillis());
        upsertSite.setString(3, batch.identityJson());
        upsertSite.executeUpdate();
        return new StoreResult(StoreResult.Outcome.STORED, acked);
    }

    /** The site a push with this key was stored for, in any raw partition; null if none. */
    String storedFor(String agentId, long sequence) throws SQLException {
        findPush.setString(1, agentId);
        findPush.setLong(2, sequence);
        try (ResultSet rs = findPush.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** Raises the agent's acked sequence to at least {@code sequence}; returns it. */
    long upsertAgent(String agentId, String site, long sequence, long pushMillis) throws SQLException {
        upsertAgent.setString(1, agentId);
        upsertAgent.setString(2, site);
        upsertAgent.setLong(3, sequence);
        upsertAgent.setLong(4, pushMillis);
        try (ResultSet rs = upsertAgent.executeQuery()) {
            return rs.next() ? rs.getLong(1) : sequence;
        }
    }

    private long ackedSequence(String agentId) throws SQLException {
        findAgent.setString(1, agentId);
        try (ResultSet rs = findAgent.executeQuery()) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }

    /** Marks the batch's site-hours to be rolled up (again). */
    void touch(ArchiveBatch batch) throws SQLException {
        touch(batch.site(), batch.hours(), batch.receivedMillis());
    }

    void touch(String site, long[] hours, long receivedMillis) throws SQLException {
        for (long hour : hours) {
            touch.setString(1, site);
            touch.setLong(2, hour);
            touch.setLong(3, receivedMillis);
            touch.addBatch();
        }
        touch.executeBatch();
    }

    /**
     * Stores a push salvaged from another file, in the partition of the day it was first received,
     * with its hours to roll up and its agent's acked sequence; the caller has checked that its key
     * is not stored. The site's identity is not known from the copy, so {@code sites} is left alone.
     */
    void copy(ArchiveBatch b) throws SQLException {
        insertPush(b.partition(), b.agentId(), b.sequence(), b.site(), b.receivedMillis(), b.firstEndMillis(),
                b.lastEndMillis(), b.kinds(), b.sampleCount(), b.data());
        touch(b);
        upsertAgent(b.agentId(), b.site(), b.sequence(), b.receivedMillis());
    }

    private void insertPush(Partition p, String agentId, long sequence, String site, long receivedMillis, long firstEnd,
            long lastEnd, int kinds, int samples, byte[] data) throws SQLException {
        PreparedStatement insert = statement(p, "pushes", "#insert", "INSERT INTO " + dialect.table(p, "pushes")
                + " (agent, sequence, site, received_ms, first_end_ms, last_end_ms, kinds, samples, data)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
        insert.setLong(1, nameNo(p, agentId));
        insert.setLong(2, sequence);
        insert.setLong(3, nameNo(p, site));
        insert.setLong(4, receivedMillis);
        insert.setLong(5, firstEnd);
        insert.setLong(6, lastEnd);
        insert.setInt(7, kinds);
        insert.setInt(8, samples);
        insert.setBytes(9, data);
        insert.executeUpdate();
    }

    /** Writes (or replaces) hourly rollups, each into the month partition of its hour. */
    void upsertRollups(List<HourlyRollup> rollups) throws SQLException {
        Map<PreparedStatement, Integer> used = new HashMap<>();
        for (HourlyRollup r : rollups) {
            Partition p = Partition.hourly(r.hourMillis());
            PreparedStatement upsert = statement(p, "rollups", "#insert", RollupRows.upsert(dialect.table(p, "rollups")));
            RollupRows.bind(upsert, r);
            upsert.addBatch();
            used.merge(upsert, 1, Integer::sum);
        }
        for (PreparedStatement s : used.keySet()) {
            s.executeBatch();
        }
    }

    /** Writes rollups salvaged from another file, keeping any row of the same hour computed since. */
    void insertRollupsIfAbsent(List<HourlyRollup> rollups) throws SQLException {
        for (HourlyRollup r : rollups) {
            Partition p = Partition.hourly(r.hourMillis());
            String table = dialect.table(p, "rollups");
            PreparedStatement insert = statement(p, "rollups", "#salvage", "INSERT INTO " + table + " ("
                    + RollupRows.COLUMNS + ") VALUES (" + "?, ".repeat(20) + "?) ON CONFLICT (site, target, hour_ms) DO NOTHING");
            RollupRows.bind(insert, r);
            insert.executeUpdate();
        }
    }

    /** Forgets a site-hour that has been rolled up, unless a push touched it again since it was read. */
    void untouch(String site, long hourMillis, long version) throws SQLException {
        try (PreparedStatement d = connection.prepareStatement(
                "DELETE FROM touched WHERE site = ? AND hour_ms = ? AND version = ?")) {
            d.setString(1, site);
            d.setLong(2, hourMillis);
            d.setLong(3, version);
            d.executeUpdate();
        }
    }

    /** Deletes sites and agents silent since before {@code cutoffMillis}; returns the sites. */
    Set<String> forgetSilent(long cutoffMillis) throws SQLException {
        Set<String> sites = new HashSet<>();
        try (PreparedStatement q = connection.prepareStatement("SELECT site FROM sites WHERE last_push_ms < ?")) {
            q.setLong(1, cutoffMillis);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    sites.add(rs.getString(1));
                }
            }
        }
        for (String table : List.of("sites", "agents")) {
            try (PreparedStatement d = connection.prepareStatement("DELETE FROM " + table + " WHERE last_push_ms < ?")) {
                d.setLong(1, cutoffMillis);
                d.executeUpdate();
            }
        }
        return sites;
    }

    /** The number of {@code name} in the names table of {@code p}, added if new. */
    private long nameNo(Partition p, String name) throws SQLException {
        String table = dialect.table(p, "names");
        Long no = names.getOrDefault(table, Map.of()).get(name);
        if (no == null) {
            no = pendingNames.getOrDefault(table, Map.of()).get(name);
        }
        if (no != null) {
            return no;
        }
        PreparedStatement find = statement(p, "names", "#find", "SELECT no FROM " + table + " WHERE name = ?");
        find.setString(1, name);
        try (ResultSet rs = find.executeQuery()) {
            if (rs.next()) {
                no = rs.getLong(1);
            }
        }
        if (no == null) {
            PreparedStatement insert = statement(p, "names", "#insert", "INSERT INTO " + table + " (name) VALUES (?)"
                    + " ON CONFLICT (name) DO NOTHING");
            insert.setString(1, name);
            insert.executeUpdate();
            try (ResultSet rs = find.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("name '" + name + "' not found in " + table + " after inserting it");
                }
                no = rs.getLong(1);
            }
        }
        pendingNames.computeIfAbsent(table, t -> new HashMap<>()).put(name, no);
        return no;
    }

    private PreparedStatement statement(Partition p, String table, String purpose, String sql) throws SQLException {
        String key = dialect.table(p, table) + purpose;
        PreparedStatement s = byTable.get(key);
        if (s == null) {
            s = connection.prepareStatement(sql);
            byTable.put(key, s);
        }
        return s;
    }

    /** The same 64-bit number for a key on every collector: CRC-32C of the agent id, then the sequence. */
    static long keyHash(String agentId, long sequence) {
        CRC32C crc = new CRC32C();
        crc.update(agentId.getBytes(StandardCharsets.UTF_8));
        return (crc.getValue() << 32) ^ (sequence & 0xFFFF_FFFFL) ^ (sequence >>> 32);
    }

    /** Closes the statements prepared per partition (the others close with the connection). */
    @Override
    public void close() {
        for (Statement s : byTable.values()) {
            try {
                s.close();
            } catch (SQLException e) {
                // closing with the connection anyway
            }
        }
        byTable.clear();
    }
}
